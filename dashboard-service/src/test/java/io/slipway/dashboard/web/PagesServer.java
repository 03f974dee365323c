package io.slipway.dashboard.web;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.dashboard.domain.LiveChanges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The dashboard's web side on a random loopback port, reading an {@link InMemoryRunHistory} instead of the database's
 * store, and sending actions to a fake deployer: a local HTTP server that records what it got and answers as told.
 */
final class PagesServer implements AutoCloseable {

    /** One request the fake deployer received. */
    record Received(String path, String authorization, String body) {
    }

    final InMemoryRunHistory history;
    final List<Received> deployerGot = new CopyOnWriteArrayList<>();
    private final HttpServer deployer;
    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile int deployerStatus = 200;
    private volatile String deployerBody = "{\"status\":\"deployed\",\"message\":\"deployed\"}";

    PagesServer() {
        try {
            deployer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deployer.createContext("/", exchange -> {
            deployerGot.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = deployerBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(deployerStatus, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        deployer.start();
        ApplicationContext context = ApplicationContext.builder().properties(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "kafka.health.enabled", "false",
                "slipway.schema-registry.url", "http://127.0.0.1:9",
                "slipway.kafka.create-topics", "false",
                "micronaut.server.port", "-1",
                "datasources.default.url", "jdbc:h2:mem:pages-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "slipway.dashboard.projection.enabled", "false",
                InMemoryRunHistory.ENABLED, "true",
                "slipway.dashboard.deployer-url", "http://127.0.0.1:" + deployer.getAddress().getPort()))
                .start();
        history = context.getBean(InMemoryRunHistory.class);
        server = context.getBean(EmbeddedServer.class).start();
    }

    /** The next answers of the fake deployer. */
    void deployerAnswers(int status, String body) {
        deployerStatus = status;
        deployerBody = body;
    }

    /** Stops the fake deployer, so the dashboard cannot reach it. */
    void stopDeployer() {
        deployer.stop(0);
    }

    LiveChanges liveChanges() {
        return server.getApplicationContext().getBean(LiveChanges.class);
    }

    String url(String path) {
        return server.getURL() + path;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).build());
    }

    HttpResponse<String> post(String path, String authorization, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
        deployer.stop(0);
    }
}

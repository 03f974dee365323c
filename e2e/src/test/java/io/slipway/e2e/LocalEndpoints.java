package io.slipway.e2e;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.devstack.sink.NotificationSink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The HTTP endpoints the pipeline talks to besides itself, on one loopback port, recording every request: Slack and
 * GitHub (under {@code /slack/} and {@code /github/}, answered as the demo's {@link NotificationSink} answers them),
 * and a relay ({@code /relay/}) that passes a post-receive hook's webhooks on to trigger-service unchanged, so a test
 * can deliver the very same webhook again. Slack and GitHub can be made {@link #unavailable} for a while: they answer
 * 503 and those requests are kept apart ({@link #refused}), so {@link #requests} holds only what was accepted.
 */
final class LocalEndpoints implements AutoCloseable {

    /** A request as it arrived: method, path, the headers that matter here, and the body. */
    record Request(String method, String path, Map<String, String> headers, String body) {
    }

    private static final List<String> WEBHOOK_HEADERS = List.of("Content-Type", "X-Slipway-Event",
            "X-Slipway-Delivery", "X-Slipway-Signature-256");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> refused = new CopyOnWriteArrayList<>();
    private volatile boolean unavailable;
    private volatile Consumer<Request> relayObserver = webhook -> { };
    private final URI trigger;

    LocalEndpoints(URI trigger) {
        this.trigger = trigger;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NotificationSink sink = new NotificationSink(new PrintStream(OutputStream.nullOutputStream()));
        var notifications = server.createContext("/", sink::handle);
        notifications.getFilters().add(new Outage());
        notifications.getFilters().add(Filter.beforeHandler("record", this::record));
        server.createContext("/relay/", this::relay).getFilters().add(Filter.beforeHandler("record", this::record));
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every request whose path starts with {@code prefix}, in arrival order. */
    List<Request> requests(String prefix) {
        return requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    /** Every request answered 503 during an outage whose path starts with {@code prefix}, in arrival order. */
    List<Request> refused(String prefix) {
        return refused.stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    /** While {@code true}, Slack and GitHub answer every request with 503 Service Unavailable. */
    void unavailable(boolean down) {
        unavailable = down;
    }

    /**
     * Runs {@code observer} on each webhook the relay receives, before passing it on: the hook that sent it is still
     * waiting for the answer meanwhile.
     */
    void duringRelay(Consumer<Request> observer) {
        relayObserver = observer;
    }

    /** Delivers a recorded webhook to trigger-service's generic endpoint again, byte for byte, under {@code deliveryId}. */
    HttpResponse<String> deliver(Request webhook, String deliveryId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(trigger.resolve("/webhooks/generic"))
                .POST(HttpRequest.BodyPublishers.ofString(webhook.body(), StandardCharsets.UTF_8));
        webhook.headers().forEach((name, value) -> request.header(name,
                name.equalsIgnoreCase("X-Slipway-Delivery") ? deliveryId : value));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach trigger-service at " + trigger, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void record(HttpExchange exchange) {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            WEBHOOK_HEADERS.forEach(name -> {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    headers.put(name, value);
                }
            });
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8));
            requests.add(request);
            exchange.setAttribute(Request.class.getName(), request);
            exchange.setStreams(new ByteArrayInputStream(body), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers 503 while the endpoints are {@link #unavailable}, before the request is recorded as accepted. */
    private final class Outage extends Filter {

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            if (!unavailable) {
                chain.doFilter(exchange);
                return;
            }
            refused.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.of(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        }

        @Override
        public String description() {
            return "503 while unavailable";
        }
    }

    private void relay(HttpExchange exchange) throws IOException {
        Request webhook = (Request) exchange.getAttribute(Request.class.getName());
        relayObserver.accept(webhook);
        HttpResponse<String> answer = deliver(webhook, webhook.headers().get("X-Slipway-Delivery"));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

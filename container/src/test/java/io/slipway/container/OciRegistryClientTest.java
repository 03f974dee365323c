package io.slipway.container;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token flow of the distribution spec against a local server that speaks it: 401 with a Bearer challenge, a
 * token from the realm for the right credentials, the digest from Docker-Content-Digest. (Basic auth is tested
 * against a real registry in builder-service.)
 */
class OciRegistryClientTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private final List<String> tokenQueries = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String host;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", exchange -> {
            tokenQueries.add(exchange.getRequestURI().getQuery());
            String expected = new OciRegistryClient.Credentials("ci", "s3cret").basic();
            boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            reply(exchange, ok ? 200 : 401, ok ? "{\"token\":\"tok-1\",\"expires_in\":300}" : "{\"errors\":[]}");
        });
        server.createContext("/v2/", exchange -> {
            if (!"Bearer tok-1".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host
                        + "/token\",service=\"fake-registry\",scope=\"repository:staging/app:pull\"");
                reply(exchange, 401, "");
            } else if (exchange.getRequestURI().getPath().equals("/v2/staging/app/manifests/abc")) {
                assertThat(exchange.getRequestHeaders().getFirst("Accept")).contains("application/vnd.oci.image.manifest.v1+json");
                exchange.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
                reply(exchange, 200, "");
            } else {
                reply(exchange, 404, "");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private OciRegistryClient client(String user, String password) {
        return new OciRegistryClient(host, true, new OciRegistryClient.Credentials(user, password), Duration.ofSeconds(5));
    }

    @Test
    void fetchesABearerTokenFromTheChallengeRealmAndReturnsTheDigest() {
        OciRegistryClient client = client("ci", "s3cret");

        assertThat(client.manifestDigest("staging/app", "abc")).contains(DIGEST);
        assertThat(client.manifestDigest("staging/app", "abc")).as("token reused").contains(DIGEST);
        assertThat(tokenQueries).containsExactly("service=fake-registry&scope=repository:staging/app:pull");
    }

    @Test
    void answersEmptyForAManifestTheRegistryDoesNotHave() {
        assertThat(client("ci", "s3cret").manifestDigest("staging/app", "nope")).isEmpty();
    }

    @Test
    void reportsRefusedCredentialsAsUnauthorizedAndNotTransient() {
        assertThatThrownBy(() -> client("ci", "wrong").manifestDigest("staging/app", "abc"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.isUnauthorized()).isTrue();
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("/token").contains("refused the credentials");
                });
    }

    @Test
    void reportsAnUnreachableRegistryAsTransient() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        OciRegistryClient client = new OciRegistryClient("127.0.0.1:" + closed, true, null, Duration.ofSeconds(2));

        assertThatThrownBy(() -> client.manifestDigest("staging/app", "abc"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void neverShowsThePasswordInToString() {
        assertThat(new OciRegistryClient.Credentials("ci", "s3cret").toString()).doesNotContain("s3cret");
    }
}

package io.slipway.container.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parts of the distribution protocol the local docker-registry does not exercise (bearer tokens from a token
 * service, redirects to another host, 5xx and 429, content that does not match its digest), against a local HTTP
 * server that answers as the spec documents.
 */
class RegistryProtocolTest {

    private static final String BASIC = "Basic dXNlcjpwYXNz";
    private static final String BLOB = "sha256:" + "b".repeat(64);

    private HttpServer server;
    private final Map<String, Function<HttpExchange, Answer>> routes = new ConcurrentHashMap<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status, String... headers) {
            Map<String, String> map = new java.util.LinkedHashMap<>();
            for (int i = 0; i < headers.length; i += 2) {
                map.put(headers[i], headers[i + 1]);
            }
            return new Answer(status, map, "");
        }

        Answer body(String text) {
            return new Answer(status, headers, text);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Host") + path
                    + (exchange.getRequestURI().getQuery() == null ? "" : "?" + exchange.getRequestURI().getQuery())
                    + " " + authorization);
            Answer answer = routes.getOrDefault(path, e -> Answer.of(404)).apply(exchange);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            boolean empty = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(answer.status(), empty ? -1 : body.length);
            if (!empty) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private OciRegistryClient client(String user, String password) {
        return new HttpOciRegistryClient(new RegistryEndpoint(host(), true, user, password), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
    }

    private void bearerProtected(String path, Answer granted) {
        routes.put(path, e -> "Bearer tok-1".equals(e.getRequestHeaders().getFirst("Authorization")) ? granted
                : Answer.of(401, "WWW-Authenticate", "Bearer realm=\"http://" + host() + "/token\",service=\"test-registry\","
                        + "scope=\"repository:app:pull\""));
    }

    @Test
    void fetchesABearerTokenForTheChallengedScopeWithTheCredentialsAndReusesIt() {
        bearerProtected("/v2/app/blobs/" + BLOB, Answer.of(200, "Content-Length", "3"));
        routes.put("/token", e -> BASIC.equals(e.getRequestHeaders().getFirst("Authorization"))
                ? Answer.of(200, "Content-Type", "application/json").body("{\"token\":\"tok-1\",\"expires_in\":300}")
                : Answer.of(401));
        OciRegistryClient client = client("user", "pass");

        assertThat(client.hasBlob("app", BLOB)).isTrue();
        assertThat(client.hasBlob("app", BLOB)).isTrue();

        assertThat(seen).filteredOn(s -> s.contains("/token")).singleElement().satisfies(s -> assertThat(s)
                .contains("service=test-registry", "scope=repository:app:pull", BASIC));
        assertThat(seen).filteredOn(s -> s.startsWith("HEAD")).extracting(s -> s.substring(s.lastIndexOf(' ') + 1))
                .containsExactly("null", "tok-1", "tok-1");
    }

    @Test
    void headsAManifestAnonymouslyWithABearerTokenAcceptingEveryManifestTypeAndReadsTheDigestHeader() {
        String digest = "sha256:" + "d".repeat(64);
        List<String> accepted = new CopyOnWriteArrayList<>();
        bearerProtected("/v2/staging/app/manifests/abc", Answer.of(200, "Docker-Content-Digest", digest,
                "Content-Type", Manifest.OCI_INDEX));
        Function<HttpExchange, Answer> manifest = routes.get("/v2/staging/app/manifests/abc");
        routes.put("/v2/staging/app/manifests/abc", e -> {
            accepted.add(e.getRequestHeaders().getFirst("Accept"));
            return manifest.apply(e);
        });
        routes.put("/token", e -> e.getRequestHeaders().containsKey("Authorization") ? Answer.of(400)
                : Answer.of(200).body("{\"access_token\":\"tok-1\"}"));

        assertThat(client(null, null).headManifest("staging/app", "abc")).get()
                .extracting(Descriptor::mediaType, Descriptor::digest).containsExactly(Manifest.OCI_INDEX, digest);

        assertThat(accepted).isNotEmpty().allSatisfy(accept -> assertThat(accept).contains(Manifest.MEDIA_TYPES));
        assertThat(seen).filteredOn(s -> s.contains("/token")).singleElement().asString()
                .contains("scope=repository:staging/app:pull").endsWith(" null");
    }

    @Test
    void aTokenServiceThatRefusesTheCredentialsMeansUnauthorized() {
        bearerProtected("/v2/app/blobs/" + BLOB, Answer.of(200));
        routes.put("/token", e -> Answer.of(401));

        assertThatThrownBy(() -> client("user", "wrong").hasBlob("app", BLOB))
                .isInstanceOfSatisfying(OciRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(OciRegistryException.Kind.UNAUTHORIZED));
    }

    @Test
    void credentialsAreNotSentToTheHostARedirectPointsTo() throws IOException {
        String elsewhere = "http://localhost:" + server.getAddress().getPort() + "/storage/blob";
        routes.put("/v2/app/blobs/" + BLOB, e -> BASIC.equals(e.getRequestHeaders().getFirst("Authorization"))
                ? Answer.of(307, "Location", elsewhere) : Answer.of(401, "WWW-Authenticate", "Basic realm=\"r\""));
        routes.put("/storage/blob", e -> Answer.of(200).body("abc"));

        try (InputStream in = client("user", "pass").openBlob("app", BLOB)) {
            assertThat(in.readAllBytes()).asString().isEqualTo("abc");
        }

        assertThat(seen).last().asString().startsWith("GET localhost:").endsWith("/storage/blob null");
        assertThat(seen).filteredOn(s -> s.contains("/v2/app/blobs/")).last().asString().endsWith(BASIC);
    }

    @Test
    void credentialsAreNotSentToAnotherPortOfTheSameHostARedirectPointsTo() throws IOException {
        HttpServer storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> storageSaw = new CopyOnWriteArrayList<>();
        storage.createContext("/", exchange -> {
            storageSaw.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "abc".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        storage.start();
        try {
            routes.put("/v2/app/blobs/" + BLOB, e -> BASIC.equals(e.getRequestHeaders().getFirst("Authorization"))
                    ? Answer.of(307, "Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/blob")
                    : Answer.of(401, "WWW-Authenticate", "Basic realm=\"r\""));

            try (InputStream in = client("user", "pass").openBlob("app", BLOB)) {
                assertThat(in.readAllBytes()).asString().isEqualTo("abc");
            }

            assertThat(storageSaw).containsExactly("null");
        } finally {
            storage.stop(0);
        }
    }

    @Test
    void theRegistrysOriginIsItsSchemeHostAndPort() {
        URI registry = URI.create("https://registry.example/");
        assertThat(HttpOciRegistryClient.sameOrigin(URI.create("https://REGISTRY.example:443/v2/x"), registry)).isTrue();
        assertThat(HttpOciRegistryClient.sameOrigin(URI.create("http://registry.example/v2/x"), registry)).isFalse();
        assertThat(HttpOciRegistryClient.sameOrigin(URI.create("https://registry.example:8443/v2/x"), registry)).isFalse();
        assertThat(HttpOciRegistryClient.sameOrigin(URI.create("https://registry.example.evil/v2"), registry)).isFalse();
        assertThat(HttpOciRegistryClient.sameOrigin(URI.create("https://registry.example@evil/v2"), registry)).isFalse();
    }

    @Test
    void aTokenServiceGetsCredentialsOnlyOverHttpsFromAnHttpsRegistry() {
        RegistryEndpoint https = new RegistryEndpoint("registry.example", false, "user", "pass");
        RegistryEndpoint plain = new RegistryEndpoint("127.0.0.1:5000", true, "user", "pass");

        assertThat(RegistryAuth.mayReceiveCredentials(URI.create("https://auth.example/token"), https)).isTrue();
        assertThat(RegistryAuth.mayReceiveCredentials(URI.create("http://auth.example/token"), https)).isFalse();
        assertThat(RegistryAuth.mayReceiveCredentials(URI.create("http://127.0.0.1:5001/token"), plain)).isTrue();
        assertThat(RegistryAuth.mayReceiveCredentials(URI.create("file:///etc/passwd"), plain)).isFalse();
        assertThat(RegistryAuth.mayReceiveCredentials(URI.create("https://u:p@auth.example/token"), https)).isFalse();
        assertThat(RegistryAuth.mayReceiveCredentials(URI.create("/token"), https)).isFalse();
    }

    @Test
    void serverErrorsAndThrottlingAreTransient() {
        routes.put("/v2/app/manifests/latest", e -> Answer.of(503).body("{\"errors\":[{\"code\":\"UNAVAILABLE\"}]}"));
        routes.put("/v2/app/blobs/" + BLOB, e -> Answer.of(429));

        assertThatThrownBy(() -> client(null, null).getManifest("app", "latest"))
                .isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("503").hasMessageContaining("UNAVAILABLE");
        assertThatThrownBy(() -> client(null, null).hasBlob("app", BLOB)).isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void aManifestWhoseBytesDoNotHashToTheRequestedDigestIsRejected() {
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"layers\":[]}";
        String claimed = "sha256:" + "c".repeat(64);
        routes.put("/v2/app/manifests/" + claimed, e -> Answer.of(200, "Content-Type", Manifest.OCI_MANIFEST).body(manifest));

        assertThatThrownBy(() -> client(null, null).getManifest("app", claimed))
                .isInstanceOfSatisfying(OciRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(OciRegistryException.Kind.DIGEST_MISMATCH));
    }

    @Test
    void aDeclinedMountCancelsTheUploadSessionTheRegistryOpened() {
        routes.put("/v2/app/blobs/uploads/", e -> Answer.of(202, "Location", "/v2/app/blobs/uploads/session-1?state=x"));
        routes.put("/v2/app/blobs/uploads/session-1", e -> Answer.of(204));

        assertThat(client(null, null).mountBlob("app", BLOB, "staging/app")).isFalse();

        assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("POST").contains("mount=" + BLOB, "from=staging/app"));
        assertThat(seen).last().asString().startsWith("DELETE").contains("/session-1?state=x");
    }
}

package io.slipway.container.oci;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry reached under another name than its image references use: every call goes to the address, with the
 * credentials, while the client still names the registry by its host.
 */
class RegistryAddressTest {

    private static final String BASIC = "Basic dXNlcjpzM2NyZXQtcGFzcw==";
    private static final String DIGEST = "sha256:" + "d".repeat(64);

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Host")
                    + exchange.getRequestURI().getPath() + " " + authorization);
            if (!BASIC.equals(authorization)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                exchange.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
                exchange.getResponseHeaders().add("Content-Type", Manifest.OCI_MANIFEST);
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void callsGoToTheAddressWithTheCredentialsWhileTheClientKeepsTheHost() {
        RegistryEndpoint endpoint = new RegistryEndpoint("registry.test:5000", address(), true, "user", "s3cret-pass");
        OciRegistryClient client = new HttpOciRegistryClient(endpoint, Duration.ofSeconds(5), Duration.ofSeconds(5));

        assertThat(client.headManifest("staging/app", "abc")).get().extracting(Descriptor::digest).isEqualTo(DIGEST);

        assertThat(client.host()).isEqualTo("registry.test:5000");
        assertThat(seen).containsExactly("HEAD " + address() + "/v2/staging/app/manifests/abc null",
                "HEAD " + address() + "/v2/staging/app/manifests/abc " + BASIC);
    }

    @Test
    void aBlankAddressMeansTheHost() {
        RegistryEndpoint blank = new RegistryEndpoint("registry.test:5000", "  ", false, null, null);

        assertThat(blank.address()).isNull();
        assertThat(blank.reachedAt()).isEqualTo("registry.test:5000");
        assertThat(blank.baseUri()).isEqualTo(URI.create("https://registry.test:5000/"));
        assertThat(new RegistryEndpoint("registry.test:5000", false, null, null)).isEqualTo(blank);
    }

    @Test
    void theAddressDecidesTheBaseUriAndTheHostStaysTheName() {
        RegistryEndpoint endpoint = new RegistryEndpoint("127.0.0.1:5101", "registry-staging:5000", true, "builder",
                "s3cret-pass");

        assertThat(endpoint.baseUri()).isEqualTo(URI.create("http://registry-staging:5000/"));
        assertThat(endpoint.host()).isEqualTo("127.0.0.1:5101");
        assertThat(endpoint.toString()).contains("127.0.0.1:5101", "registry-staging:5000", "builder")
                .doesNotContain("s3cret-pass");
    }
}

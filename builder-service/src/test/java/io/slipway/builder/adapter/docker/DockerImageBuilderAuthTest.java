package io.slipway.builder.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.sun.net.httpserver.HttpServer;
import io.slipway.builder.domain.BuildLog;
import io.slipway.builder.domain.Cancellation;
import io.slipway.builder.domain.ImageBuilder;
import io.slipway.common.text.SecretMask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry credentials of the builder's own Docker configuration, which docker-java sends with every build
 * ({@code X-Registry-Config}) so the engine can pull private base images, against a local server speaking the
 * Engine API's {@code POST /build}: the repository's own builds send them, a fork's request sends none.
 */
class DockerImageBuilderAuthTest {

    private static final String AUTH = Base64.getEncoder()
            .encodeToString("ops:base-image-secret".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path tmp;

    private HttpServer engine;
    private final List<String> registryConfigs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void engine() throws IOException {
        engine = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        engine.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/build")) {
                exchange.getRequestBody().readAllBytes();
                String header = exchange.getRequestHeaders().getFirst("X-Registry-Config");
                registryConfigs.add(header == null ? "" : new String(Base64.getUrlDecoder().decode(header),
                        StandardCharsets.UTF_8));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("{\"stream\":\"Step 1/1 : FROM scratch\\n\"}\n{\"stream\":\"Successfully built 0123456789ab\\n\"}\n"
                            .getBytes(StandardCharsets.UTF_8));
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.stop(0);
    }

    private DockerImageBuilder builder() throws IOException {
        Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"auths\": {\"registry.example.test:5000\": {\"auth\": \"" + AUTH + "\"}}}");
        String host = "tcp://127.0.0.1:" + engine.getAddress().getPort();
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host)
                .withDockerConfig(dockerConfig.toString()).build();
        DockerClient docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).responseTimeout(Duration.ofSeconds(30)).build());
        return new DockerImageBuilder(docker, host, new DockerImageBuilder.Limits(0, 0, null, Duration.ofMinutes(1),
                1 << 20), null);
    }

    private void build(DockerImageBuilder builder, boolean untrusted) throws IOException {
        Path workspace = Files.createDirectories(tmp.resolve("ws-" + untrusted));
        Files.writeString(workspace.resolve("Dockerfile"), "FROM registry.example.test:5000/private/base\n");
        builder.build(new ImageBuilder.BuildSpec(workspace, workspace, workspace.resolve("Dockerfile"),
                "registry.test/staging/app:abc", Map.of(), Map.of(), null, Duration.ofMinutes(1), untrusted),
                new BuildLog(new SecretMask(Set.of()), 4096, line -> { }), new Cancellation());
    }

    @Test
    void aForksBuildIsSentNoRegistryCredentialsWhileTheRepositorysOwnIs() throws IOException {
        DockerImageBuilder builder = builder();

        build(builder, false);
        build(builder, true);

        assertThat(registryConfigs).hasSize(2);
        assertThat(registryConfigs.get(0)).as("the test can fail").contains("registry.example.test:5000", "ops");
        assertThat(registryConfigs.get(1)).doesNotContain("registry.example.test", "ops", AUTH);
    }
}

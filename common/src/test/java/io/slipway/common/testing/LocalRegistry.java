package io.slipway.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution) on a free loopback port,
 * storing under a temporary directory, optionally behind htpasswd basic auth. Docker treats 127.0.0.0/8
 * registries as insecure, so the engine pushes and pulls over plain HTTP.
 */
public final class LocalRegistry implements AutoCloseable {

    public static final String BINARY = "/usr/bin/docker-registry";

    private final Process process;
    private final int port;
    private final String user;
    private final String password;

    private LocalRegistry(Process process, int port, String user, String password) {
        this.process = process;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** Starts a registry that requires {@code user}/{@code password}; {@code user == null} starts one without auth. */
    public static LocalRegistry start(Path dir, String user, String password) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install docker-registry apache2-utils");
        }
        try {
            Files.createDirectories(dir);
            int port = freePort();
            StringBuilder config = new StringBuilder()
                    .append("version: 0.1\n")
                    .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
                    .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
                    .append("  delete:\n    enabled: true\n")
                    .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
            if (user != null) {
                Path htpasswd = dir.resolve("htpasswd");
                Process hash = new ProcessBuilder("htpasswd", "-Bbn", user, password).start();
                String line = new String(hash.getInputStream().readAllBytes()).strip();
                if (!hash.waitFor(30, TimeUnit.SECONDS) || hash.exitValue() != 0) {
                    throw new IllegalStateException("htpasswd failed; apt-get install apache2-utils");
                }
                Files.writeString(htpasswd, line + "\n");
                config.append("auth:\n  htpasswd:\n    realm: slipway-test\n    path: ").append(htpasswd).append('\n');
            }
            Path configFile = Files.writeString(dir.resolve("config.yml"), config.toString());
            Process process = new ProcessBuilder(BINARY, "serve", configFile.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            LocalRegistry registry = new LocalRegistry(process, port, user, password);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue());
            }
            int status = http.send(HttpRequest.newBuilder(url().resolve("/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 || status == 401;
        });
    }

    /** {@code 127.0.0.1:<port>}, the registry part of an image reference. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public URI url() {
        return URI.create("http://" + host());
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Stops the registry process (for tests of a registry that goes away); {@link #close} does the same. */
    public void stop() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

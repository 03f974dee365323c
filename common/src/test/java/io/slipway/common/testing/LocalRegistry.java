package io.slipway.common.testing;

import io.slipway.devstack.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution) on a free loopback port,
 * storing under a temporary directory, optionally behind htpasswd basic auth. Docker treats 127.0.0.0/8
 * registries as insecure, so the engine pushes and pulls over plain HTTP. Its access log is kept, so a test can
 * check which requests reached it ({@link #requests()}), and it can be stopped and started again on the same port.
 */
public final class LocalRegistry implements AutoCloseable {

    public static final String BINARY = "/usr/bin/docker-registry";

    private static final Pattern ACCESS_LINE = Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) ");

    private final Path dir;
    private Process process;
    private final int port;
    private final String user;
    private final String password;

    private LocalRegistry(Path dir, Process process, int port, String user, String password) {
        this.dir = dir;
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
            int port = LoopbackPorts.free();
            StringBuilder config = new StringBuilder()
                    .append("version: 0.1\n")
                    .append("log:\n  level: warn\n  accesslog:\n    disabled: false\n")
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
            Files.writeString(dir.resolve("config.yml"), config.toString());
            LocalRegistry registry = new LocalRegistry(dir, launch(dir), port, user, password);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process launch(Path dir) throws IOException {
        return new ProcessBuilder(BINARY, "serve", dir.resolve("config.yml").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
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

    /** Starts a stopped registry again on the same port with the same storage: a registry that comes back. */
    public void restart() {
        try {
            process = launch(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    /** One request the registry answered, from its access log. */
    public record Request(String method, String uri, int status) {
    }

    /** Every request the registry answered so far, oldest first. */
    public List<Request> requests() {
        try {
            return Files.readAllLines(dir.resolve("registry.log")).stream().map(ACCESS_LINE::matcher)
                    .filter(Matcher::find)
                    .map(m -> new Request(m.group(1), m.group(2), Integer.parseInt(m.group(3)))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}

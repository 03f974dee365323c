package io.slipway.trigger.adapter.forge;

import com.sun.net.httpserver.HttpServer;
import io.slipway.common.text.SecretMask;
import io.slipway.trigger.GitRepositories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook secret is on no command line while the shipped hook signs and sends a real push: every program the hook
 * starts is recorded with its arguments (a wrapper in front of each program on the PATH), and the process list is
 * read while the request is held open by the server, so the hook is certainly running when it is read. Neither
 * shows the secret, nor its hex, base64 or URL-encoded forms. The secret is longer than 64 bytes and not ASCII, so
 * the signature the server checks also covers the hashed-key path of HMAC.
 */
class PostReceiveHookSecretTest {

    private static final String SECRET = "ünïcödé-hook-secret-" + "0123456789abcdef".repeat(5);

    @TempDir
    Path tmp;

    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final CountDownLatch requestArrived = new CountDownLatch(1);
    private final CountDownLatch processesRead = new CountDownLatch(1);
    private final AtomicReference<byte[]> body = new AtomicReference<>();
    private final AtomicReference<String> signature = new AtomicReference<>();
    private HttpServer server;

    @BeforeEach
    void startAServiceThatHoldsTheRequest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            body.set(exchange.getRequestBody().readAllBytes());
            signature.set(exchange.getRequestHeaders().getFirst("X-Slipway-Signature-256"));
            requestArrived.countDown();
            try {
                processesRead.await(25, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        processesRead.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void theSecretIsOnNoCommandLineWhileAPushIsSignedAndSent() throws Exception {
        GitRepositories repos = new GitRepositories(tmp, "shop.git");
        Path secretFile = Files.writeString(tmp.resolve("slipway.secret"), SECRET + "\n");
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        repos.installHook(url, secretFile, "--repository", "acme/shop");
        repos.commit("a.txt", "first commit");
        Path argvLog = tmp.resolve("argv.log");
        Map<String, String> recorded = recordEveryProgramStarted(argvLog);

        CompletableFuture<String> push = CompletableFuture.supplyAsync(
                () -> repos.run(repos.work(), recorded, "git", "push", "origin", "main"));
        assertThat(requestArrived.await(60, TimeUnit.SECONDS)).as("the hook sent its request").isTrue();
        List<String> processes = commandLines();
        processesRead.countDown();
        String output = push.get(60, TimeUnit.SECONDS);

        SecretMask secretForms = new SecretMask(List.of(SECRET));
        assertThat(processes).as("the hook's curl was running when the process list was read")
                .anyMatch(line -> line.contains("curl") && line.contains(url + "/webhooks/generic"));
        assertThat(processes).allSatisfy(line -> assertThat(secretForms.apply(line)).isEqualTo(line));
        String started = Files.readString(argvLog);
        assertThat(started).as("programs the hook started").contains("openssl dgst").contains("curl");
        assertThat(secretForms.apply(started)).isEqualTo(started);
        assertThat(output).contains("HTTP 202").doesNotContain(SECRET);
        assertThat(WebhookSignatures.verify(SECRET, body.get(), signature.get(), "sha256=")).isTrue();
    }

    /**
     * A directory of links, one per program on the PATH, to a wrapper that appends its name and arguments to
     * {@code log} and runs the real program; returns the environment that puts it first on the PATH.
     */
    private Map<String, String> recordEveryProgramStarted(Path log) throws IOException {
        Path wrapper = Files.writeString(tmp.resolve("record-argv"), """
                #!/bin/bash
                printf '%s\\n' "${0##*/} $*" >>"$SLIPWAY_TEST_ARGV_LOG"
                real=$(PATH=$SLIPWAY_TEST_REAL_PATH; command -v -- "${0##*/}") || exit 127
                exec "$real" "$@"
                """);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        Path shims = Files.createDirectories(tmp.resolve("shims"));
        String path = System.getenv("PATH");
        Set<String> names = new LinkedHashSet<>();
        for (String dir : path.split(":")) {
            Path directory = Path.of(dir.isEmpty() ? "." : dir);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> programs = Files.list(directory)) {
                programs.filter(Files::isExecutable).map(p -> p.getFileName().toString())
                        .filter(name -> name.matches("[A-Za-z0-9._+-]+")).forEach(names::add);
            }
        }
        for (String name : names) {
            Files.createSymbolicLink(shims.resolve(name), wrapper);
        }
        return Map.of("PATH", shims + ":" + path, "SLIPWAY_TEST_REAL_PATH", path,
                "SLIPWAY_TEST_ARGV_LOG", log.toString());
    }

    /** What {@code ps -eo args} shows: the command line of every process. */
    private static List<String> commandLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path process : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    byte[] cmdline = Files.readAllBytes(process.resolve("cmdline"));
                    lines.add(new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').strip());
                } catch (IOException e) {
                    // The process ended while the list was read.
                }
            }
        }
        return lines;
    }
}

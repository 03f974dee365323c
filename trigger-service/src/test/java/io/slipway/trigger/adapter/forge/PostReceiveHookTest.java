package io.slipway.trigger.adapter.forge;

import io.slipway.devstack.LoopbackPorts;
import io.slipway.trigger.GitRepositories;

import com.sun.net.httpserver.HttpServer;
import io.slipway.trigger.domain.Push;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped {@code hooks/post-receive}, installed with {@code hooks/install-hook.sh} into a real bare repository,
 * turns each ref of a real {@code git push} into one signed generic-webhook request that {@link GenericForge} reads
 * back exactly: sha, ref, author and a message full of characters JSON must escape.
 */
class PostReceiveHookTest {

    private static final String SECRET = "hook-secret \"with\" quotes";
    private static final String TRICKY_MESSAGE = "Fix \"cart\" total\\discount\tnow\n\nSecond paragraph: 100% & more";

    /** One request the fake trigger-service received. */
    private record Received(String method, String path, Map<String, String> headers, byte[] body) {
        Function<String, String> header() {
            return headers::get;
        }
    }

    @TempDir
    Path tmp;

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Path bare;
    private Path work;
    private GitRepositories repos;

    @BeforeEach
    void startFakeServiceAndRepositories() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    exchange.getRequestBody().readAllBytes()));
            byte[] answer = "{\"status\":\"accepted\",\"runId\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();

        repos = new GitRepositories(tmp, "shop.git");
        bare = repos.bare();
        work = repos.work();
    }

    @AfterEach
    void stopFakeService() {
        server.stop(0);
    }

    @Test
    void postsOneSignedGenericWebhookPerPushedRef() throws IOException {
        Path secretFile = Files.writeString(tmp.resolve("slipway.secret"), SECRET + "\n");
        String installed = run(tmp, script("install-hook.sh").toString(), bare.toString(),
                "--url", "http://127.0.0.1:" + server.getAddress().getPort(), "--secret-file", secretFile.toString(),
                "--repository", "acme/shop");
        assertThat(installed).contains("installed").contains("slipway.url").doesNotContain(SECRET);
        assertThat(bare.resolve("hooks/post-receive")).isExecutable();

        String first = commit("a.txt", "first commit");
        git(work, "tag", "--annotate", "--message", "Release 1.0", "v1.0", first);
        git(work, "branch", "feature", first);
        String second = commit("b.txt", TRICKY_MESSAGE);
        String pushOutput = git(work, "push", "origin", "main", "feature", "refs/tags/v1.0");
        git(work, "push", "origin", "--delete", "feature");

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 4);
        assertThat(pushOutput).contains("slipway: refs/heads/main").contains("HTTP 202").doesNotContain(SECRET);
        GenericForge forge = new GenericForge();
        for (Received request : received) {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/webhooks/generic");
            assertThat(request.headers().get("Content-Type")).isEqualTo("application/json");
            assertThat(forge.kind(request.header())).isEqualTo(Forge.EventKind.PUSH);
            assertThat(forge.deliveryId(request.header())).get().asString()
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(forge.authenticate(request.header(), request.body(), SECRET))
                    .isEqualTo(Forge.Authentication.VALID);
            assertThat(WebhookSignatures.verify(SECRET, request.body(), request.headers().get("X-Slipway-Signature-256"),
                    "sha256=")).isTrue();
            assertThat(forge.authenticate(request.header(), request.body(), "another secret"))
                    .isEqualTo(Forge.Authentication.INVALID);
        }
        assertThat(received.stream().map(r -> r.headers().get("X-Slipway-Delivery")).distinct()).hasSize(4);

        List<Push> pushes = received.stream().map(r -> forge.push(TestRequests.json(r.body()), null)).toList();
        String cloneUrl = "file://" + bare.toRealPath();
        assertThat(pushes).allSatisfy(push -> {
            assertThat(push.repository()).isEqualTo("acme/shop");
            assertThat(push.cloneUrl()).isEqualTo(cloneUrl);
        });
        Push main = only(pushes, "refs/heads/main", false);
        assertThat(main.sha()).isEqualTo(second).isEqualTo(git(bare, "rev-parse", "main").strip());
        assertThat(main.message()).isEqualTo(TRICKY_MESSAGE);
        assertThat(main.authorName()).isEqualTo("Ada \"Countess\" Lovelace");
        assertThat(main.authorEmail()).isEqualTo("ada@example.test");
        assertThat(main.timestamp()).isEqualTo(OffsetDateTime.parse(
                git(work, "log", "-1", "--format=%cI", second).strip()).toInstant());
        assertThat(main.deleted()).isFalse();

        Push tag = only(pushes, "refs/tags/v1.0", false);
        assertThat(tag.sha()).isEqualTo(first).isEqualTo(git(bare, "rev-parse", "v1.0^{commit}").strip());
        assertThat(tag.message()).isEqualTo("first commit");

        assertThat(only(pushes, "refs/heads/feature", false).sha()).isEqualTo(first);
        Push deletion = only(pushes, "refs/heads/feature", true);
        assertThat(deletion.sha()).isEqualTo(Push.ZERO_SHA);
    }

    @Test
    void letsThePushSucceedWhenSlipwayIsDown() throws IOException {
        Path secretFile = Files.writeString(tmp.resolve("slipway.secret"), SECRET);
        int closedPort = LoopbackPorts.free();
        run(tmp, script("install-hook.sh").toString(), bare.toString(), "--url", "http://127.0.0.1:" + closedPort,
                "--secret-file", secretFile.toString());
        String sha = commit("a.txt", "first commit");

        String output = git(work, "push", "origin", "main");

        assertThat(output).contains("not reachable").contains("the push itself succeeded");
        assertThat(git(bare, "rev-parse", "main").strip()).isEqualTo(sha);
        assertThat(git(bare, "config", "--list")).contains("slipway.url=http://127.0.0.1:" + closedPort)
                .contains("slipway.secretfile=" + secretFile.toRealPath()).doesNotContain("slipway.repository");
    }

    private static Push only(List<Push> pushes, String ref, boolean deleted) {
        List<Push> matching = pushes.stream().filter(p -> p.ref().equals(ref) && p.deleted() == deleted).toList();
        assertThat(matching).as("pushes of %s (deleted=%s)", ref, deleted).hasSize(1);
        return matching.get(0);
    }

    private String commit(String file, String message) throws IOException {
        return repos.commit(file, message);
    }

    private String git(Path dir, String... args) {
        return repos.git(dir, args);
    }

    private String run(Path dir, String... command) {
        return repos.run(dir, command);
    }

    private static Path script(String name) {
        return GitRepositories.script(name);
    }
}

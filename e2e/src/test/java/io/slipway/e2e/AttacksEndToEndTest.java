package io.slipway.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Stage;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attacks of the threat model ({@code docs/security.md}) made the way an attacker makes them: a pusher's commits
 * through real {@code git push}es and the post-receive hook, requests from anyone who can reach the trigger's port,
 * a git server that asks for credentials. Each test asserts the refusal and that nothing leaked or moved: the
 * pipeline topics, the Slack and GitHub stand-ins, the registries' tags and the services' logs. One stack for the
 * class; every test pushes to repositories of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttacksEndToEndTest {

    private static final List<String> LOGS = List.of("devstack", "trigger-service", "builder-service",
            "tester-service", "deliverer-service", "notifier-service");
    private static final Pattern RUN_ID = Pattern.compile("\"runId\":\"([^\"]+)\"");
    private static final String GIT_USER = "e2e-git";
    private static final String GIT_PASSWORD = "git-" + UUID.randomUUID();
    private static final String RUN_TOKEN = "run-" + UUID.randomUUID();
    /** The longest a suite may make the tester wait for a service's port, whatever the suite asks. */
    private static final Duration STARTUP_CLAMP = Duration.ofSeconds(5);

    private final AtomicInteger repositories = new AtomicInteger();
    private final BasicChallenge credentialHost = new BasicChallenge();
    private final BasicChallenge stranger = new BasicChallenge();
    private SlipwayStack slipway;
    private PipelineEvents events;

    @BeforeAll
    void startSlipway() {
        slipway = SlipwayStack.start(Map.of(
                "SLIPWAY_RUN_TOKEN", RUN_TOKEN,
                "SLIPWAY_CLONE_URL_SCHEMES", "file,http,https,ssh",
                "SLIPWAY_GIT_USERNAME", GIT_USER,
                "SLIPWAY_GIT_PASSWORD", GIT_PASSWORD,
                "SLIPWAY_GIT_CREDENTIAL_HOST", credentialHost.origin(),
                "SLIPWAY_TESTER_MAX_SERVICE_STARTUP_TIMEOUT", STARTUP_CLAMP.toSeconds() + "s"));
        events = slipway.events();
    }

    @AfterAll
    void stopSlipway() {
        try {
            if (slipway != null) {
                slipway.close();
            }
        } finally {
            credentialHost.close();
            stranger.close();
        }
    }

    @Test
    void aLinkToEtcBringsNoHostFileIntoTheBuildOrAnythingSlipwayShows() throws IOException {
        String hostname = Files.readString(Path.of("/etc/hostname")).strip();
        String machineId = Files.readString(Path.of("/etc/machine-id")).strip();

        BuildFailed failed = pushLinkAttack("link-etc", "e", "/etc",
                "COPY e /e\nRUN echo \"host=[$(cat /e/hostname)] machine=[$(cat /e/machine-id)]\"; exit 1\n");

        assertThat(failed.getLogExcerpt()).contains("not found");
        assertAppearsNowhere("the host's /etc/hostname", "host=[" + hostname + "]");
        assertAppearsNowhere("the host's /etc/machine-id", machineId);
    }

    @Test
    void aLinkClimbingOutOfTheWorkspaceBringsNoFileOfTheStackIntoTheBuild() throws IOException {
        String marker = "marker-" + UUID.randomUUID();
        Files.writeString(slipway.home().resolve("attack-marker.txt"), marker);

        // The builder exports a commit into <home>/builder/workspaces/<run>/, so ../../.. is the stack's home.
        pushLinkAttack("link-up", "up", "../../..",
                "COPY up /up\nRUN cat /up/attack-marker.txt /up/webhook.secret /up/e2e.env; ls -la /up; exit 1\n");

        assertAppearsNowhere("a file in the stack's home", marker);
        assertAppearsNowhere("the webhook secret", slipway.webhookSecret());
        assertAppearsNowhere("the release registry's password", slipway.releaseRegistry().password());
    }

    @Test
    void anImageOfAnotherRepositoryIsRefusedAndItsTagsStayWhereTheyWere() {
        SampleRepository victim = newRepository("victim", false);
        SampleRepository.Push released = victim.push();
        String victimDigest = events.awaitPublished(released.runId()).getDigest();

        SampleRepository attacker = newRepository("attacker", false);
        attacker.commit("Publish as the victim", ".slipway.yml",
                config -> config.replaceFirst("(?m)^image: .*$", "image: " + victim.name()));
        SampleRepository.Push push = attacker.push();

        BuildFailed failed = events.awaitFailed(push.runId());
        assertThat(failed.getStage()).isEqualTo(Stage.BUILD);
        assertThat(failed.getReasonCode()).isEqualTo("CONFIG_INVALID");
        assertThat(failed.getMessage()).contains(victim.name());
        assertNothingBuiltOrPublished(attacker, push);
        assertThat(slipway.stagingTags("staging/" + victim.name())).as("the victim's staging tags")
                .containsExactly(released.sha());
        assertThat(slipway.releaseTags(victim.name())).containsExactlyInAnyOrder(released.sha(), "main", "latest");
        assertTagsPointAt(victim.name(), victimDigest, released.sha(), "main", "latest");
    }

    @Test
    void aCommitDated2099DoesNotPinMainAndLatestAgainstTheNextPush() {
        SampleRepository app = newRepository("dated", false);
        String future = "2099-12-31T23:59:59+00:00";
        app.commit("A commit from the future", Map.of("GIT_AUTHOR_DATE", future, "GIT_COMMITTER_DATE", future),
                work -> SampleRepository.rewrite(work.resolve("www/index.html"), page -> page + "<!-- 2099 -->\n"));
        SampleRepository.Push dated = app.push();
        String datedDigest = events.awaitPublished(dated.runId()).getDigest();

        app.commit("An ordinary commit after it", "www/index.html", page -> page + "<!-- today -->\n");
        SampleRepository.Push ordinary = app.push();

        ArtifactPublished published = events.awaitPublished(ordinary.runId());
        assertThat(published.getDigest()).isNotEqualTo(datedDigest);
        assertThat(published.getTags()).containsExactlyInAnyOrder(ordinary.sha(), "main", "latest");
        assertTagsPointAt(app.name(), published.getDigest(), ordinary.sha(), "main", "latest");
        assertTagsPointAt(app.name(), datedDigest, dated.sha());
    }

    @Test
    void traversalAndControlCharactersInRepositoryAndRefAreRefusedWith400AndStartNothing() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        List<List<String>> refused = List.of(
                List.of("repository", body("e2e/door/../../victim/repo", "refs/heads/main", sha)),
                List.of("repository", body("e2e/door\u0007\r\nX-Injected: 1", "refs/heads/main", sha)),
                List.of("ref", body("e2e/door", "refs/heads/../../../victim", sha)),
                List.of("ref", body("e2e/door", "refs/heads/main\u0000\u001b[2J", sha)));
        for (List<String> attempt : refused) {
            HttpResponse<String> answer = slipway.webhook(attempt.get(1));
            assertThat(answer.statusCode()).as("%s: %s", attempt.get(1), answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("'" + attempt.get(0) + "'");
        }
        Map<String, String> auth = Map.of("Authorization", "Bearer " + RUN_TOKEN);
        HttpResponse<String> manualRepository = slipway.trigger("/runs",
                "{\"repository\":\"e2e/door/../../victim/repo\",\"ref\":\"refs/heads/main\"}", auth);
        HttpResponse<String> manualRef = slipway.trigger("/runs",
                "{\"repository\":\"e2e/door\",\"ref\":\"refs/heads/a\\u001fb/../../x\"}", auth);
        assertThat(manualRepository.statusCode()).as(manualRepository.body()).isEqualTo(400);
        assertThat(manualRepository.body()).contains("'repository'");
        assertThat(manualRef.statusCode()).as(manualRef.body()).isEqualTo(400);
        assertThat(manualRef.body()).contains("'ref'");

        SampleRepository climbing = slipway.repository("e2e/door-" + repositories.incrementAndGet(),
                "e2e/door/../../victim/repo", false);
        String pushed = climbing.pushAnswer();
        assertThat(pushed).contains("-> HTTP 400", "'repository'");

        assertThat(events.all()).as("events of the refused requests").noneSatisfy(event ->
                assertThat(event.toString()).containsAnyOf("victim/repo", "door/..", "X-Injected"));
        assertThat(slipway.endpoints().requests("/")).as("requests to Slack and GitHub")
                .noneSatisfy(request -> assertThat(request.path() + request.body()).contains("victim"));
    }

    @Test
    void gitCredentialsAreOfferedOnlyToTheirHostNeitherDirectlyNorAfterARedirect() {
        String direct = startRun("creds", stranger.url("/e2e/creds.git"));
        BuildFailed refusedDirectly = events.awaitFailed(direct);
        String redirected = startRun("creds", credentialHost.url("/redirect-to/" + stranger.port() + "/e2e/creds.git"));
        BuildFailed refusedAfterRedirect = events.awaitFailed(redirected);

        for (BuildFailed failed : List.of(refusedDirectly, refusedAfterRedirect)) {
            assertThat(failed.getStage()).isEqualTo(Stage.BUILD);
            assertThat(failed.getReasonCode()).isEqualTo("SOURCE_UNAVAILABLE");
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (GIT_USER + ":" + GIT_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(credentialHost.authorizations()).as("what the credential host was sent").contains(basic);
        assertThat(stranger.requests()).as("requests the other host got").isNotEmpty();
        assertThat(stranger.authorizations()).as("what the other host was sent").isEmpty();
        assertAppearsNowhere("the git password", GIT_PASSWORD);
    }

    @Test
    void anOversizedStartupTimeoutIsClampedAndTheTestStageKeepsFlowing() {
        SampleRepository slow = newRepository("slow-start", false);
        slow.commit("A service test that waits 100 hours for a port nothing opens", "tests/structure.yaml",
                suite -> suite + "\nserviceTests:\n  - name: never-listens\n    port: 9\n    startupTimeout: 100h\n");
        SampleRepository.Push held = slow.push();
        SampleRepository next = newRepository("after-slow", false);
        SampleRepository.Push following = next.push();

        BuildFailed failed = events.awaitFailed(held.runId());
        assertThat(failed.getStage()).isEqualTo(Stage.TEST);
        assertThat(failed.getReasonCode()).isEqualTo("TESTS_FAILED");
        assertThat(failed.getLogExcerpt()).contains("not listening", STARTUP_CLAMP.toMillis() + " ms");
        events.awaitPublished(following.runId());
    }

    @Test
    void noSecretIsOnAnyCommandLineWhileAPushIsAnnounced() {
        SampleRepository app = newRepository("ps", true);
        List<String> processLists = new CopyOnWriteArrayList<>();
        slipway.endpoints().duringRelay(webhook -> {
            if (webhook.body().contains("\"" + app.name() + "\"")) {
                for (int i = 0; i < 3; i++) {
                    processLists.add(Commands.run(slipway.home(), Map.of(), Duration.ofSeconds(30),
                            "ps", "-e", "-ww", "-o", "args"));
                }
            }
        });
        SampleRepository.Push push;
        try {
            push = app.push();
        } finally {
            slipway.endpoints().duringRelay(webhook -> { });
        }

        assertThat(processLists).as("process lists read while the hook waited for its answer").hasSize(3)
                .allSatisfy(ps -> assertThat(ps).as("the hook's curl is running").contains("X-Slipway-Signature-256"));
        List<String> secrets = List.of(slipway.webhookSecret(), slipway.stagingRegistry().password(),
                slipway.releaseRegistry().password(), GIT_PASSWORD, RUN_TOKEN);
        for (String secret : secrets) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            for (String form : List.of(secret, HexFormat.of().formatHex(bytes),
                    Base64.getEncoder().encodeToString(bytes), URLEncoder.encode(secret, StandardCharsets.UTF_8))) {
                assertThat(processLists).noneSatisfy(ps -> assertThat(ps).contains(form));
            }
        }
        events.awaitPublished(push.runId());
    }

    /**
     * Pushes a commit adding the link {@code name -> target} and {@code steps} at the end of the Dockerfile; the run
     * must fail to build ({@code BUILD_ERROR}), build and publish nothing, and be announced on Slack and in an issue.
     */
    private BuildFailed pushLinkAttack(String role, String name, String target, String steps) {
        SampleRepository app = newRepository(role, false);
        app.commit("Read outside the repository through " + name + " -> " + target, Map.of(), work -> {
            link(work.resolve(name), target);
            SampleRepository.rewrite(work.resolve("Dockerfile"), dockerfile -> dockerfile + steps);
        });
        SampleRepository.Push push = app.push();

        BuildFailed failed = events.awaitFailed(push.runId());
        assertThat(failed.getStage()).isEqualTo(Stage.BUILD);
        assertThat(failed.getReasonCode()).isEqualTo("BUILD_ERROR");
        assertNothingBuiltOrPublished(app, push);
        awaitFailureAnnounced(app, push);
        return failed;
    }

    private String startRun(String role, String cloneUrl) {
        String repository = "e2e/" + role + "-" + repositories.incrementAndGet();
        String sha = UUID.randomUUID().toString().replace("-", "") + "00000000";
        HttpResponse<String> answer = slipway.webhook("{\"repository\":\"" + repository + "\",\"cloneUrl\":\""
                + cloneUrl + "\",\"ref\":\"refs/heads/main\",\"sha\":\"" + sha
                + "\",\"message\":\"fetch me\",\"author\":{\"name\":\"Mallory\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        Matcher runId = RUN_ID.matcher(answer.body());
        assertThat(runId.find()).as(answer.body()).isTrue();
        return runId.group(1);
    }

    private static String body(String repository, String ref, String sha) {
        return "{\"repository\":" + json(repository) + ",\"cloneUrl\":\"file:///nonexistent/door.git\",\"ref\":"
                + json(ref) + ",\"sha\":\"" + sha + "\",\"message\":\"door\",\"author\":{\"name\":\"Mallory\"}}";
    }

    /** A JSON string literal of {@code text}, control characters as {@code \\uXXXX}. */
    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> out.append(c < 0x20 || c == '"' || c == '\\'
                ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.append('"').toString();
    }

    private void assertNothingBuiltOrPublished(SampleRepository app, SampleRepository.Push push) {
        assertThat(events.ofRun(push.runId())).noneMatch(e -> e instanceof ImageBuilt || e instanceof ArtifactPublished);
        assertThat(slipway.releaseTags(app.name())).isEmpty();
    }

    /** Waits until the notifier posted the run's failure to Slack and opened (or commented on) its GitHub issue. */
    private void awaitFailureAnnounced(SampleRepository app, SampleRepository.Push push) {
        await("Slack message and GitHub issue for " + push.runId()).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(slipway.endpoints().requests("/slack/e2e")).anySatisfy(message ->
                    assertThat(message.body()).contains(push.runId()));
            assertThat(slipway.endpoints().requests("/github/repos/" + app.name() + "/issues"))
                    .anySatisfy(request -> assertThat(request.method()).isEqualTo("POST"));
        });
    }

    /** {@code text} is in no pipeline event, no request to Slack or GitHub, and no log of the stack. */
    private void assertAppearsNowhere(String what, String text) {
        List<String> places = new ArrayList<>();
        for (SpecificRecord event : events.all()) {
            if (event.toString().contains(text)) {
                places.add("event " + event);
            }
        }
        slipway.endpoints().requests("/").stream().filter(r -> (r.path() + r.body()).contains(text))
                .forEach(r -> places.add("request " + r.method() + " " + r.path()));
        LOGS.stream().filter(log -> slipway.log(log).contains(text)).forEach(log -> places.add("log " + log));
        assertThat(places).as("places where %s appears", what).isEmpty();
    }

    private void assertTagsPointAt(String repository, String digest, String... tags) {
        for (String tag : tags) {
            assertThat(slipway.releaseImage(repository, tag).path("Digest").asText()).as("digest of %s:%s", repository, tag)
                    .isEqualTo(digest);
        }
    }

    private SampleRepository newRepository(String role, boolean relayed) {
        return slipway.repository("e2e/" + role + "-" + repositories.incrementAndGet(), relayed);
    }

    private static void link(Path link, String target) {
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A git server that is no git server: every request without {@code Authorization} is answered {@code 401} with a
     * {@code Basic} challenge, so a client that has credentials for it offers them. With credentials, a request for
     * {@code /redirect-to/<port>/<path>} is redirected to {@code <path>} on that port of 127.0.0.1 (another origin);
     * any other is refused with {@code 403}. Records the {@code Authorization} header of every request.
     */
    private static final class BasicChallenge implements AutoCloseable {

        private static final Pattern REDIRECT = Pattern.compile("/redirect-to/(\\d+)(/.*)");

        private final HttpServer server;
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final List<String> authorizations = new CopyOnWriteArrayList<>();

        BasicChallenge() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", this::answer);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String origin() {
            return "http://127.0.0.1:" + port();
        }

        String url(String path) {
            return origin() + path;
        }

        List<String> requests() {
            return List.copyOf(requests);
        }

        List<String> authorizations() {
            return List.copyOf(authorizations);
        }

        private void answer(HttpExchange exchange) throws IOException {
            String target = exchange.getRequestURI().toString();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(target);
            exchange.getRequestBody().readAllBytes();
            if (authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                authorizations.add(authorization);
                Matcher redirect = REDIRECT.matcher(target);
                if (redirect.matches()) {
                    exchange.getResponseHeaders().add("Location",
                            "http://127.0.0.1:" + redirect.group(1) + redirect.group(2));
                    exchange.sendResponseHeaders(302, -1);
                } else {
                    exchange.sendResponseHeaders(403, -1);
                }
            }
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

package io.slipway.builder.adapter;

import com.sun.net.httpserver.HttpExchange;
import io.slipway.builder.TestRepository;
import io.slipway.builder.adapter.git.JGitSources;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.Sources;
import io.slipway.builder.domain.StageFailure;
import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.common.policy.Origin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Fetches over HTTP from a local git server: credentials go only to their host (not to another host that asks, not
 * along a redirect), every redirect passes the clone URL policy, the connection goes to the address the policy
 * checked, and a server that never stops sending is cut at the fetch deadline. Loopback is allowed here as an
 * operator would allow it for a local git server.
 */
class JGitSourcesOverHttpTest {

    private static final String USER = "ci-bot";
    private static final String PASSWORD = "git-s3cret-token";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path tmp;

    private TestRepository origin;
    private String sha;
    private final ScheduledExecutorService drips = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void repository() {
        origin = TestRepository.create(tmp.resolve("origin"));
        sha = origin.commit("first", Map.of("app.txt", "v1\n"));
    }

    @AfterEach
    void close() {
        origin.close();
        drips.shutdownNow();
    }

    private JGitSources sources(Set<String> allowedHosts, CloneUrlPolicy.Resolver resolver, Origin credentialHost,
                                Duration deadline) {
        CloneUrlPolicy policy = new CloneUrlPolicy(new CloneUrlPolicy.Settings(Set.of("http"), allowedHosts, false,
                true, false));
        JGitSources.Credentials credentials = credentialHost == null ? null
                : new JGitSources.Credentials(credentialHost, USER, PASSWORD);
        return new JGitSources(tmp.resolve("mirrors"), policy, resolver, credentials, Duration.ofSeconds(30), deadline);
    }

    private JGitSources sources(Origin credentialHost) {
        return sources(Set.of(), InetAddress::getAllByName, credentialHost, Duration.ofMinutes(1));
    }

    private GitHttpServer server() throws IOException {
        return GitHttpServer.serving(origin.dir().resolve(".git"));
    }

    private static boolean requireBasic(HttpExchange exchange) throws IOException {
        if (BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return false;
        }
        GitHttpServer.challenge(exchange);
        return true;
    }

    @Test
    void theCredentialHostGetsTheCredentialsWhenItAsks() throws IOException {
        try (GitHttpServer git = server().answerFirst(JGitSourcesOverHttpTest::requireBasic);
             Sources.Tree tree = sources(git.origin()).fetch("org/app", git.cloneUrl(), sha)) {

            assertThat(new String(tree.read("app.txt"), StandardCharsets.UTF_8)).isEqualTo("v1\n");
            assertThat(git.seen()).first().extracting(GitHttpServer.Seen::authorization).isNull();
            assertThat(git.seen()).extracting(GitHttpServer.Seen::authorization).contains(BASIC);
        }
    }

    @Test
    void aForksRequestOffersNoCredentialsEvenToTheCredentialHostThatAsks() throws IOException {
        try (GitHttpServer git = server().answerFirst(JGitSourcesOverHttpTest::requireBasic)) {
            JGitSources sources = sources(git.origin());
            Sources.Fetch fork = new Sources.Fetch("org/app", git.cloneUrl().replace("http://",
                    "http://" + USER + ":" + PASSWORD + "@"), sha, "refs/heads/main", null, null, true);

            assertThatThrownBy(() -> sources.fetch(fork)).isInstanceOfSatisfying(StageFailure.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.SOURCE_UNAVAILABLE);
                assertThat(e.getMessage()).contains("refused access").doesNotContain(PASSWORD);
            });
            assertThat(git.seen()).isNotEmpty().extracting(GitHttpServer.Seen::authorization).containsOnlyNulls();

            try (Sources.Tree tree = sources.fetch(new Sources.Fetch("org/app", git.cloneUrl(), sha, "refs/heads/main",
                    null, null, false))) {
                assertThat(tree.size("app.txt")).as("the same fetch for the repository itself").hasValue(3);
            }
            assertThat(git.seen()).extracting(GitHttpServer.Seen::authorization).contains(BASIC);
        }
    }

    @Test
    void credentialsWrittenIntoTheCloneUrlGoToItsOwnHost() throws IOException {
        try (GitHttpServer git = server().answerFirst(JGitSourcesOverHttpTest::requireBasic);
             Sources.Tree tree = sources(null).fetch("org/app", git.cloneUrl().replace("http://",
                     "http://" + USER + ":" + PASSWORD + "@"), sha)) {

            assertThat(tree.size("app.txt")).hasValue(3);
            assertThat(git.seen()).extracting(GitHttpServer.Seen::authorization).contains(BASIC);
        }
    }

    @Test
    void aServerThatIsNotTheCredentialHostSeesNoAuthorizationWhenItChallenges() throws IOException {
        try (GitHttpServer credentialHost = server();
             GitHttpServer other = server().answerFirst(exchange -> {
                 GitHttpServer.challenge(exchange);
                 return true;
             })) {

            assertThatThrownBy(() -> sources(credentialHost.origin()).fetch("org/app", other.cloneUrl(), sha))
                    .isInstanceOfSatisfying(StageFailure.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.SOURCE_UNAVAILABLE);
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("refused access")
                                .contains("only to " + credentialHost.origin()).doesNotContain(PASSWORD);
                    });
            assertThat(other.seen()).isNotEmpty().allSatisfy(s -> assertThat(s.authorization()).isNull());
            assertThat(credentialHost.seen()).isEmpty();
        }
    }

    @Test
    void aRedirectFromTheCredentialHostCarriesNoCredentialsToAnotherHost() throws IOException {
        try (GitHttpServer elsewhere = server().answerFirst(exchange -> {
                 GitHttpServer.challenge(exchange);
                 return true;
             });
             GitHttpServer credentialHost = server().answerFirst(exchange -> {
                 if (requireBasic(exchange)) {
                     return true;
                 }
                 GitHttpServer.redirect(exchange, elsewhere.cloneUrl());
                 return true;
             })) {

            assertThatThrownBy(() -> sources(credentialHost.origin()).fetch("org/app", credentialHost.cloneUrl(), sha))
                    .isInstanceOf(StageFailure.class).hasMessageContaining("refused access");
            assertThat(credentialHost.seen()).extracting(GitHttpServer.Seen::authorization).contains(BASIC);
            assertThat(elsewhere.seen()).as("followed the redirect").isNotEmpty()
                    .allSatisfy(s -> assertThat(s.authorization()).isNull());
        }
    }

    @Test
    void aRedirectToAHostThePolicyRefusesIsNotFollowed() throws IOException {
        try (GitHttpServer target = server();
             GitHttpServer redirecting = server().answerFirst(exchange -> {
                 GitHttpServer.redirect(exchange, "http://localhost:" + target.port() + "/repo.git");
                 return true;
             })) {
            JGitSources sources = sources(Set.of("127.0.0.1"), InetAddress::getAllByName, null, Duration.ofMinutes(1));

            assertThatThrownBy(() -> sources.fetch("org/app", redirecting.cloneUrl(), sha))
                    .isInstanceOfSatisfying(StageFailure.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("redirected").contains("localhost")
                                .contains("not in the allowed hosts");
                    });
            assertThat(redirecting.seen()).isNotEmpty();
            assertThat(target.seen()).isEmpty();
        }
    }

    @Test
    void aRedirectToTheMetadataAddressIsNotFollowed() throws IOException {
        try (GitHttpServer redirecting = server().answerFirst(exchange -> {
            GitHttpServer.redirect(exchange, "http://169.254.169.254/latest/repo.git");
            return true;
        })) {
            assertThatThrownBy(() -> sources(null).fetch("org/app", redirecting.cloneUrl(), sha))
                    .isInstanceOf(StageFailure.class).hasMessageContaining("link-local");
        }
    }

    @Test
    void connectsToTheAddressThePolicyCheckedWithoutAskingDnsAgain() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        CloneUrlPolicy.Resolver rebinding = host -> new InetAddress[]{InetAddress.getByAddress(host,
                lookups.incrementAndGet() == 1 ? new byte[]{127, 0, 0, 1} : new byte[]{(byte) 169, (byte) 254, (byte) 169, (byte) 254})};
        try (GitHttpServer git = server()) {
            String url = "http://git.internal.test:" + git.port() + "/repo.git";

            try (Sources.Tree tree = sources(Set.of(), rebinding, null, Duration.ofMinutes(1)).fetch("org/app", url, sha)) {
                assertThat(tree.size("app.txt")).hasValue(3);
            }

            assertThat(lookups).as("one answer, checked and used").hasValue(1);
            assertThat(git.seen()).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.host()).isEqualTo("git.internal.test:" + git.port()));
        }
    }

    @Test
    void aServerThatNeverStopsSendingIsCutAtTheFetchDeadline() throws IOException {
        AtomicBoolean sending = new AtomicBoolean();
        fetchIsCutAtTheDeadline(exchange -> {
            OutputStream out = startEndlessAdvertisement(exchange);
            sending.set(true);
            drips.scheduleAtFixedRate(() -> {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException e) {
                    sending.set(false);
                    throw new IllegalStateException("the client hung up", e);
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            return true;
        });
        await("the connection was closed").atMost(Duration.ofSeconds(10)).untilFalse(sending);
    }

    @Test
    void aServerThatFallsSilentWithinTheReadTimeoutIsCutAtTheFetchDeadline() throws IOException {
        fetchIsCutAtTheDeadline(exchange -> {
            startEndlessAdvertisement(exchange);
            return true;
        });
    }

    /** A 30 s read timeout would not end these fetches for a long time (or ever): the 2 s deadline does. */
    private void fetchIsCutAtTheDeadline(GitHttpServer.Answer answer) throws IOException {
        try (GitHttpServer slow = GitHttpServer.empty().answerFirst(answer)) {
            Duration deadline = Duration.ofSeconds(2);
            long started = System.nanoTime();

            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> sources(Set.of(),
                    InetAddress::getAllByName, null, deadline).fetch("org/app", slow.cloneUrl(), sha))
                    .isInstanceOfSatisfying(StageFailure.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("did not finish within PT2S");
                    }));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(deadline)
                    .isLessThan(deadline.plusSeconds(10));
        }
    }

    private static OutputStream startEndlessAdvertisement(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-advertisement");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(GitHttpServer.endlessAdvertisementStart());
        out.flush();
        return out;
    }
}

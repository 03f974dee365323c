package io.slipway.builder.domain;

import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.common.requests.RequestStates.Staleness;
import io.slipway.common.testing.ManualStalenessWatch;
import io.slipway.common.text.SecretMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The build use case with in-memory sources, registry and engine: the decisions, without Docker or Kafka. */
class BuildServiceTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final BuildRequest REQUEST = new BuildRequest("run-1", "org/app", "https://git.example.org/org/app.git",
            "https://git.example.org/org/app", SHA, "refs/heads/main", Instant.EPOCH, 0, 42);

    /** The repository org/app publishes as team/app, as an operator granted. */
    private static final ImageOwnership OWNERSHIP = new ImageOwnership(
            List.of(new ImageOwnership.Rule("org/app", List.of("team/app"))));

    @TempDir
    Path tmp;

    private final Map<String, String> files = new HashMap<>(Map.of(
            ".slipway.yml", "image: team/app\ntests: [tests/suite.yaml]\nbuildArgs: {VERSION: '2'}\n",
            "Dockerfile", "FROM scratch\n",
            "tests/suite.yaml", "schemaVersion: 2.0.0\n"));
    private final Map<String, String> staged = new HashMap<>();
    private final List<ImageBuilder.BuildSpec> builds = new ArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private Optional<String> newer = Optional.empty();
    private List<String> secrets = List.of();

    private final List<String> changed = new ArrayList<>(List.of("src/App.java"));
    private final List<Sources.Fetch> fetched = new ArrayList<>();
    private String mergeCommit;

    private final Sources sources = fetch -> {
        fetches.incrementAndGet();
        fetched.add(fetch);
        return new Sources.Tree() {
            public String commit() {
                return mergeCommit == null ? fetch.sha() : mergeCommit;
            }

            public Sources.ChangedPaths changedPaths(java.util.function.Predicate<String> wanted) {
                for (int i = 0; i < changed.size(); i++) {
                    if (wanted.test(changed.get(i))) {
                        return new Sources.ChangedPaths("abc1234..0123456", i + 1, changed.get(i));
                    }
                }
                return new Sources.ChangedPaths("abc1234..0123456", changed.size(), null);
            }

            public OptionalLong size(String path) {
                return files.containsKey(path) ? OptionalLong.of(files.get(path).length()) : OptionalLong.empty();
            }

            public byte[] read(String path) {
                return files.get(path).getBytes(StandardCharsets.UTF_8);
            }

            public void export(Path directory) {
                files.forEach((path, content) -> {
                    try {
                        Files.createDirectories(directory.resolve(path).getParent());
                        Files.writeString(directory.resolve(path), content);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }

            public void close() {
            }
        };
    };

    private final StagingRegistry registry = new StagingRegistry() {
        public String host() {
            return "registry.test:5000";
        }

        public String prefix() {
            return "staging";
        }

        public Optional<String> stagedDigest(String repository, String tag) {
            return Optional.ofNullable(staged.get(repository + ":" + tag));
        }
    };

    private ImageBuilder engine = new ImageBuilder() {
        public void build(BuildSpec spec, BuildLog log, Cancellation cancellation) {
            assertThat(spec.dockerfile()).exists();
            builds.add(spec);
        }

        public PushResult push(String image, String tag, BuildLog log, Cancellation cancellation) {
            return new PushResult("sha256:pushed", 123);
        }
    };

    private final List<LogStream.Chunk> chunks = new ArrayList<>();
    private final StreamedLog.Streams streams = new StreamedLog.Streams(chunk -> {
        chunks.add(chunk);
        return CompletableFuture.completedFuture(null);
    }, (delay, task) -> { }, StreamedLog.Settings.defaults());

    private BuildService service() {
        return new BuildService(new BuildService.Settings(Duration.ofMinutes(30), tmp.resolve("ws"), 8192,
                Map.of("HTTP_PROXY", "http://proxy:3128"), OWNERSHIP), sources, registry, engine, request -> newer,
                new SecretMask(secrets), Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC), null,
                streams);
    }

    private String streamedText() {
        return String.join("\n", chunks.stream().map(LogStream.Chunk::text).filter(t -> !t.isEmpty()).toList());
    }

    @Test
    void theStreamedLogCarriesExactlyTheMaskedLinesOfTheExcerptAndEndsWithTheOutcome() {
        secrets = List.of("s3cret");
        engine = new ImageBuilder() {
            public void build(BuildSpec spec, BuildLog log, Cancellation cancellation) {
                log.append("Step 1/2 : RUN echo token=s3cret\n\u001b[31mred\u001b[0m\n");
                log.append("no newline at the end");
                throw new StageFailure(Reason.BUILD_ERROR, "step 2 failed", false);
            }

            public PushResult push(String image, String tag, BuildLog log, Cancellation cancellation) {
                throw new AssertionError("not reached");
            }
        };

        BuildOutcome outcome = service().build(REQUEST);

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class,
                failed -> assertThat(streamedText()).isEqualTo(failed.logExcerpt()));
        assertThat(streamedText()).doesNotContain("s3cret", "\u001b").contains("token=", "red", "no newline at the end");
        assertThat(chunks).last().satisfies(chunk -> {
            assertThat(chunk.last()).isTrue();
            assertThat(chunk.runId()).isEqualTo("run-1");
            assertThat(chunk.attempt()).isEqualTo(1);
        });
    }

    @Test
    void aBuiltImageCarriesTheLabelsItWasBuiltWithAndACacheHitNone() {
        BuildOutcome built = service().build(REQUEST);
        staged.put("staging/team/app:" + SHA, "sha256:cached");
        BuildOutcome cached = service().build(REQUEST);

        assertThat(((BuildOutcome.Built) built).labels()).isEqualTo(builds.get(0).labels())
                .containsEntry("io.slipway.run-id", "run-1");
        assertThat(((BuildOutcome.Built) cached).labels()).isEmpty();
    }

    /** An engine that logs one step and whose first push finds the registry down ({@code why}), the next not. */
    private static ImageBuilder registryDownForTheFirstPush(String why) {
        AtomicInteger pushes = new AtomicInteger();
        return new ImageBuilder() {
            public void build(BuildSpec spec, BuildLog log, Cancellation cancellation) {
                log.line("Step 1/1 : FROM scratch");
            }

            public PushResult push(String image, String tag, BuildLog log, Cancellation cancellation) {
                if (pushes.incrementAndGet() == 1) {
                    throw new InfrastructureUnavailable(Reason.INFRASTRUCTURE, why, null);
                }
                return new PushResult("sha256:pushed", 123);
            }
        };
    }

    @Test
    void anAttemptRetriedAfterAnUnreachableRegistryContinuesItsStreamedLog() {
        engine = registryDownForTheFirstPush("registry down");
        BuildService service = service();

        assertThatThrownBy(() -> service.build(REQUEST)).isInstanceOf(InfrastructureUnavailable.class);
        service.build(REQUEST);

        assertThat(chunks).extracting(LogStream.Chunk::sequence).containsExactly(0L, 1L);
        assertThat(chunks).extracting(LogStream.Chunk::last).containsExactly(false, true);
    }

    @Test
    void anImageNameOfAnotherRepositoryIsConfigInvalidBeforeAnythingIsBuilt() {
        files.put(".slipway.yml", "tests: [tests/suite.yaml]\nimage: demo/acceptance-app\n");
        staged.put("staging/demo/acceptance-app:" + SHA, "sha256:the-victims");

        BuildOutcome outcome = service().build(REQUEST);

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).contains("line 2", "'demo/acceptance-app'", "org/app", "'org/app'", "'team/app'");
        });
        assertThat(builds).as("nothing built, and the victim's staged image not announced as a cache hit").isEmpty();
    }

    @Test
    void theRepositorysOwnNameIsBuiltWithoutAnyGrant() {
        files.put(".slipway.yml", "image: org/app\n");

        BuildOutcome outcome = service().build(REQUEST);

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Built.class,
                built -> assertThat(built.image().repository()).isEqualTo("staging/org/app"));
    }

    private static BuildRequest requestRun(boolean fromFork, BuildRequest.ChangeRequest.Kind kind, boolean mergeResult) {
        String ref = (kind == BuildRequest.ChangeRequest.Kind.MERGE ? "refs/merge-requests/7/" : "refs/pull/7/")
                + (mergeResult ? "merge" : "head");
        return new BuildRequest("run-7", "org/app", REQUEST.cloneUrl(), REQUEST.webUrl(), SHA, ref, Instant.EPOCH, 0, 43,
                null, new BuildRequest.ChangeRequest(7, kind, "main", fromFork ? "eve/app" : "org/app", fromFork,
                mergeResult));
    }

    @Test
    void aForksRequestIsFetchedAnonymouslyAndBuiltWithoutTheServicesBuildArgsOrCredentials() {
        BuildOutcome outcome = service().build(requestRun(true, BuildRequest.ChangeRequest.Kind.PULL, false));

        assertThat(fetched).singleElement().satisfies(fetch -> {
            assertThat(fetch.anonymous()).isTrue();
            assertThat(fetch.ref()).isEqualTo("refs/pull/7/head");
            assertThat(fetch.targetBranch()).isEqualTo("main");
        });
        ImageBuilder.BuildSpec spec = builds.get(0);
        assertThat(spec.untrusted()).isTrue();
        assertThat(spec.buildArgs()).containsExactly(Map.entry("VERSION", "2"));
        assertThat(spec.reference()).isEqualTo("registry.test:5000/staging/team/app:pr-7-0123456789ab");
        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Built.class,
                built -> assertThat(built.image().tag()).isEqualTo("pr-7-0123456789ab"));
    }

    @Test
    void aSameRepositoryRequestGetsTheServicesBuildArgsAndItsOwnTagAndLabels() {
        service().build(requestRun(false, BuildRequest.ChangeRequest.Kind.MERGE, false));

        ImageBuilder.BuildSpec spec = builds.get(0);
        assertThat(fetched.get(0).anonymous()).isFalse();
        assertThat(spec.untrusted()).isFalse();
        assertThat(spec.buildArgs()).containsEntry("HTTP_PROXY", "http://proxy:3128");
        assertThat(spec.reference()).endsWith(":mr-7-0123456789ab");
        assertThat(spec.labels()).containsEntry("io.slipway.request.number", "7")
                .containsEntry("io.slipway.request.kind", "merge")
                .containsEntry("io.slipway.request.head-sha", SHA)
                .containsEntry("org.opencontainers.image.revision", SHA)
                .containsEntry("org.opencontainers.image.version", "mr-7-0123456789ab")
                .doesNotContainKey("io.slipway.request.merge-sha");
    }

    @Test
    void aMergeResultIsTaggedAndLabelledWithTheHeadAndTheMergeCommit() {
        mergeCommit = "fedcba9876543210fedcba9876543210fedcba98";

        service().build(requestRun(false, BuildRequest.ChangeRequest.Kind.PULL, true));

        ImageBuilder.BuildSpec spec = builds.get(0);
        assertThat(spec.reference()).endsWith(":pr-7-0123456789ab-merge-fedcba987654");
        assertThat(spec.labels()).containsEntry("io.slipway.request.head-sha", SHA)
                .containsEntry("io.slipway.request.merge-sha", mergeCommit)
                .containsEntry("org.opencontainers.image.revision", mergeCommit);
    }

    @Test
    void aRequestIsNotServedThePushsImageOfTheSameSha() {
        staged.put("staging/team/app:" + SHA, "sha256:the-push");

        BuildOutcome outcome = service().build(requestRun(true, BuildRequest.ChangeRequest.Kind.PULL, false));

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Built.class, built -> {
            assertThat(built.cacheHit()).isFalse();
            assertThat(built.image().digest()).isEqualTo("sha256:pushed");
        });
    }

    @Test
    void aForkCannotSetTheServicesBuildArgNamesEither() {
        files.put(".slipway.yml", "image: team/app\nbuildArgs: {http_proxy: 'http://evil:3128'}\n");

        BuildOutcome outcome = service().build(requestRun(true, BuildRequest.ChangeRequest.Kind.PULL, false));

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID));
        assertThat(builds).isEmpty();
    }

    @Test
    void aChangeNoPathFilterWantsIsIgnoredAtOnceNamingTheFilters() {
        files.put(".slipway.yml", "image: team/app\npaths:\n  include: [src/**]\n  exclude: ['**/*.md']\n");
        changed.clear();
        changed.addAll(List.of("docs/guide.md", "src/README.md"));

        BuildOutcome outcome = service().build(requestRun(false, BuildRequest.ChangeRequest.Kind.PULL, false));

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.IGNORED);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).contains("none of the 2 path(s) changed (abc1234..0123456)", "line 2",
                    "include [src/**], exclude [**/*.md]");
        });
        assertThat(builds).isEmpty();
    }

    @Test
    void aChangeAPathFilterWantsIsBuiltAndATagIgnoresTheFilters() {
        files.put(".slipway.yml", "image: team/app\npaths: {include: [src/**], exclude: ['**/*.md']}\n");
        changed.clear();
        changed.addAll(List.of("docs/guide.md", "src/App.java"));

        assertThat(service().build(REQUEST)).isInstanceOf(BuildOutcome.Built.class);

        changed.clear();
        changed.add("docs/guide.md");
        BuildRequest tag = new BuildRequest("run-2", "org/app", REQUEST.cloneUrl(), null, SHA, "refs/tags/v1.0",
                Instant.EPOCH, 0, 44);
        assertThat(service().build(REQUEST)).isInstanceOfSatisfying(BuildOutcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(Reason.IGNORED));
        assertThat(service().build(tag)).isInstanceOf(BuildOutcome.Built.class);
    }

    @Test
    void buildsPushesAndReportsTheDigestLabelsAndSuites() throws Exception {
        BuildOutcome outcome = service().build(REQUEST);

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Built.class, built -> {
            assertThat(built.cacheHit()).isFalse();
            assertThat(built.image()).isEqualTo(new BuildOutcome.StagedImage("registry.test:5000", "staging/team/app", SHA,
                    "sha256:pushed"));
            assertThat(built.testSuites()).containsExactly(new BuildOutcome.TestSuite("tests/suite.yaml", "schemaVersion: 2.0.0\n"));
            assertThat(built.deploy()).as("no deploy block").isNull();
        });
        ImageBuilder.BuildSpec spec = builds.get(0);
        assertThat(spec.reference()).isEqualTo("registry.test:5000/staging/team/app:" + SHA);
        assertThat(spec.labels()).containsEntry("org.opencontainers.image.revision", SHA)
                .containsEntry("org.opencontainers.image.source", "https://git.example.org/org/app")
                .containsEntry("org.opencontainers.image.created", "2026-01-02T03:04:05Z")
                .containsEntry("org.opencontainers.image.version", "main-0123456")
                .containsEntry("io.slipway.run-id", "run-1");
        assertThat(spec.buildArgs()).containsEntry("VERSION", "2").containsEntry("HTTP_PROXY", "http://proxy:3128");
        assertThat(tmp.resolve("ws")).isEmptyDirectory();
    }

    @Test
    void removesTheWorkspacesAKilledBuilderLeftWhenItStartsAgain() throws Exception {
        Path leftover = Files.createDirectories(tmp.resolve("ws/run-0-killed/www"));
        Files.writeString(leftover.resolve("index.html"), "half exported");

        BuildService service = service();

        assertThat(tmp.resolve("ws")).isEmptyDirectory();
        assertThat(service.build(REQUEST)).isInstanceOf(BuildOutcome.Built.class);
    }

    @Test
    void anImageAlreadyStagedForTheShaIsACacheHitWithoutBuilding() {
        staged.put("staging/team/app:" + SHA, "sha256:cached");
        files.put(".slipway.yml", files.get(".slipway.yml") + "deploy: {environments: [staging]}\n");

        BuildOutcome outcome = service().build(REQUEST);

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Built.class, built -> {
            assertThat(built.cacheHit()).isTrue();
            assertThat(built.image().digest()).isEqualTo("sha256:cached");
            assertThat(built.testSuites()).hasSize(1);
            assertThat(built.deploy()).as("the intent of this commit, even for a cached image")
                    .isEqualTo(new DeployIntent(List.of("staging"), List.of()));
        });
        assertThat(builds).isEmpty();
    }

    @Test
    void aSupersededCommitIsNeitherFetchedNorBuilt() {
        newer = Optional.of("fedcba9876543210fedcba9876543210fedcba98");

        BuildOutcome outcome = service().build(REQUEST);

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.SUPERSEDED);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).contains("fedcba9").contains("main");
        });
        assertThat(fetches).hasValue(0);
    }

    @Test
    void aMissingPipelineFileOrDockerfileOrSuiteIsAConfigurationFailure() {
        files.remove("tests/suite.yaml");
        assertThat(((BuildOutcome.Failed) service().build(REQUEST)).message())
                .contains("line 2").contains("test suite 'tests/suite.yaml' does not exist");
        files.remove("Dockerfile");
        assertThat(((BuildOutcome.Failed) service().build(REQUEST)).message()).contains("no Dockerfile at 'Dockerfile'");
        files.remove(".slipway.yml");
        assertThat(((BuildOutcome.Failed) service().build(REQUEST)).reason()).isEqualTo(Reason.CONFIG_MISSING);
        assertThat(builds).isEmpty();
    }

    @Test
    void aRepositoryThatSetsOneOfTheServiceBuildArgsFailsAsConfigInvalidBeforeAnythingIsBuilt() {
        files.put(".slipway.yml", "image: team/app\nbuildArgs:\n  VERSION: '2'\n  http_proxy: http://evil:3128\n");

        BuildOutcome outcome = service().build(REQUEST);

        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).contains("line 2").contains("http_proxy").contains("cannot be overridden");
        });
        assertThat(builds).isEmpty();
    }

    @Test
    void anUnreachableDependencyEndsTheAttemptAsATransientFaultMaskedAndWithItsLogExcerpt() {
        secrets = List.of("s3cret");
        engine = registryDownForTheFirstPush("registry down for ci:s3cret");
        BuildService service = service();

        assertThatThrownBy(() -> service.build(REQUEST)).isInstanceOfSatisfying(InfrastructureUnavailable.class, e -> {
            assertThat(e).as("retried by the record pipeline").isInstanceOf(TransientFailure.class);
            assertThat(e.reason()).isEqualTo(Reason.INFRASTRUCTURE);
            assertThat(e.getMessage()).contains("registry down").doesNotContain("s3cret");
            assertThat(e.logExcerpt()).contains("Step 1/1 : FROM scratch");
        });
        assertThat(service.build(REQUEST)).as("the next attempt, once the registry is back")
                .isInstanceOf(BuildOutcome.Built.class);
    }

    /** An engine whose build logs its step, counts {@code started} down and runs until it is cancelled, as Docker's. */
    private static ImageBuilder buildingUntilCancelled(CountDownLatch started) {
        return new ImageBuilder() {
            public void build(BuildSpec spec, BuildLog log, Cancellation cancellation) {
                CountDownLatch stopped = new CountDownLatch(1);
                try (AutoCloseable step = cancellation.whileRunning(stopped::countDown)) {
                    log.line("Step 2/2 : RUN sleep 300");
                    started.countDown();
                    stopped.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                throw new BuildInterrupted("the build was cancelled");
            }

            public PushResult push(String image, String tag, BuildLog log, Cancellation cancellation) {
                throw new AssertionError("not reached");
            }
        };
    }

    @Test
    void shutdownCancelsARunningBuildAfterTheGraceAndHandsItBack() {
        CountDownLatch started = new CountDownLatch(1);
        engine = buildingUntilCancelled(started);
        BuildService service = service();
        CompletableFuture<BuildOutcome> running = CompletableFuture.supplyAsync(() -> service.build(REQUEST));
        await().until(() -> started.getCount() == 0);

        service.shutdown(Duration.ofMillis(50));

        await().until(running::isDone);
        assertThat(running).isCompletedExceptionally();
        assertThatThrownBy(running::join).hasCauseInstanceOf(BuildInterrupted.class);
        assertThatThrownBy(() -> service.build(REQUEST)).as("no new builds after shutdown").isInstanceOf(BuildInterrupted.class);
    }

    @Test
    void aRunOfAStaleRequestIsNeitherFetchedNorBuilt() {
        BuildOutcome superseded = service().build(REQUEST, ManualStalenessWatch.staleNow(
                new Staleness(Staleness.Reason.SUPERSEDED, "Superseded: request #12 got head fedcba987654")));
        BuildOutcome closed = service().build(REQUEST, ManualStalenessWatch.staleNow(
                new Staleness(Staleness.Reason.CLOSED, "Request #12 was closed")));

        assertThat(superseded).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.SUPERSEDED);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).isEqualTo("Superseded: request #12 got head fedcba987654; commit 0123456 was "
                    + "not built.");
        });
        assertThat(closed).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CANCELLED);
            assertThat(failed.message()).startsWith("Request #12 was closed");
        });
        assertThat(fetches).hasValue(0);
    }

    @Test
    void aBuildWhoseRequestGoesStaleIsStoppedAndEndsForItsRequestWithoutAWorkspace() {
        CountDownLatch started = new CountDownLatch(1);
        engine = buildingUntilCancelled(started);
        ManualStalenessWatch watch = new ManualStalenessWatch();
        BuildService service = service();
        CompletableFuture<BuildOutcome> running = CompletableFuture.supplyAsync(() -> service.build(REQUEST, watch));
        await().until(() -> started.getCount() == 0);

        watch.fire(new Staleness(Staleness.Reason.CLOSED, "Request #12 was closed"));

        assertThat(running.join()).isInstanceOfSatisfying(BuildOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CANCELLED);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).isEqualTo("Request #12 was closed; the build of 0123456 was stopped.");
            assertThat(failed.logExcerpt()).contains("Step 2/2 : RUN sleep 300",
                    "Slipway: Request #12 was closed; stopping the build");
        });
        assertThat(tmp.resolve("ws")).isEmptyDirectory();
        assertThat(watch.subscribed()).as("the watch ends with the build").isFalse();
    }

    @Test
    void aStaleSignalAfterTheBuildIsOverReachesNothing() {
        ManualStalenessWatch watch = new ManualStalenessWatch();

        assertThat(service().build(REQUEST, watch)).isInstanceOf(BuildOutcome.Built.class);

        assertThat(watch.subscribed()).isFalse();
        assertThat(builds).hasSize(1);
    }

    @Test
    void stripsCredentialsFromTheSourceLabel() {
        assertThat(BuildService.withoutUserInfo("https://user:token@git.example.org/a/b.git"))
                .isEqualTo("https://git.example.org/a/b.git");
    }
}

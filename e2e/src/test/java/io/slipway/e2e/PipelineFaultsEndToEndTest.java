package io.slipway.e2e;

import io.slipway.events.ArtifactPublished;
import io.slipway.events.CommitReceived;
import io.slipway.events.ImageBuilt;
import io.slipway.events.TestsPassed;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slipway under faults, run the way a user runs it ({@code ./slipway up}, real pushes, the real Docker engine and
 * registries): a service killed with SIGKILL in the middle of a run and started again, a second instance taking over
 * the work of a killed one, the broker killed mid-run, and the registries, the Docker engine (through an
 * {@link EngineProxy}), Slack and GitHub unreachable for a while. Whatever happens, every run ends published exactly
 * once, is announced exactly once, and leaves no container and no workspace behind. One stack for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsEndToEndTest {

    private static final Duration FAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int PARTITIONS = 3;
    private static final String SLOW_MARKER = "slipway-e2e-slow-";
    private static final Pattern ASSIGNED = Pattern.compile("assignments changed: .* -> \\[slipway\\.");

    /** A pushed commit and the repository it was pushed to. */
    private record Run(SampleRepository app, SampleRepository.Push push) {
        String id() {
            return push.runId();
        }
    }

    /** A container tester-service created, from the engine's event stream. */
    private record TesterContainer(long epochMillis, String instance, String runId) {
    }

    private final String testerInstance = "e2e-faults-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger repositories = new AtomicInteger();
    private final ExecutorService faults = Executors.newFixedThreadPool(5);
    private EngineProxy engine;
    private Process engineEvents;
    private Path engineEventsLog;
    private SlipwayStack slipway;
    private PipelineEvents events;

    @BeforeAll
    void startSlipway() throws IOException {
        engine = new EngineProxy();
        engineEventsLog = Files.createTempFile("e2e-tester-containers", ".log");
        engineEvents = new ProcessBuilder("docker", "-H", "unix:///var/run/docker.sock", "events",
                "--filter", "type=container", "--filter", "event=create",
                "--filter", "label=io.slipway.tester.instance",
                "--format", "{{.TimeNano}} {{index .Actor.Attributes \"io.slipway.tester.instance\"}} "
                        + "{{index .Actor.Attributes \"io.slipway.run-id\"}}")
                .redirectErrorStream(true).redirectOutput(engineEventsLog.toFile()).start();
        // The builder and the tester reach the engine through the proxy. Each stage's own retry budget (builder and
        // tester 10 min, deliverer 2 min) outlasts every outage below, so each is ridden out.
        slipway = SlipwayStack.start(Map.of(
                "DOCKER_HOST", engine.dockerHost(),
                "SLIPWAY_TESTER_INSTANCE", testerInstance));
        events = slipway.events();
    }

    @AfterAll
    void stopSlipway() throws IOException {
        faults.shutdownNow();
        try {
            if (slipway != null) {
                slipway.close();
            }
        } finally {
            if (engineEvents != null) {
                engineEvents.destroy();
            }
            if (engine != null) {
                engine.close();
            }
            Files.deleteIfExists(engineEventsLog);
        }
    }

    @Test
    @Order(1)
    void everyRunIsPublishedAndAnnouncedOnceWhenEachServiceIsKilledInTheMiddleOfIt() {
        // Each scenario starts as soon as its run is pushed: on a loaded machine pushing the other four took longer
        // than the builder scenario's 15 s build step, which was over before its scenario began. The trigger's run
        // goes last, as killing the trigger would refuse the pushes after it.
        List<Run> runs = new ArrayList<>();
        List<CompletableFuture<?>> scenarios = new ArrayList<>();
        scenarios.add(pushThen(runs, newRepository(false), this::slowBuild, this::killBuilderWhileItBuilds));
        scenarios.add(pushThen(runs, newRepository(false), this::slowTests, this::killTesterWhileItTests));
        scenarios.add(pushThen(runs, newRepository(false), app -> testsTaking(app, 6),
                this::killDelivererWhileItRetriesTheRelease));
        scenarios.add(pushThen(runs, newRepository(false), app -> { }, this::killNotifierWhileItRetriesSlack));
        scenarios.add(pushThen(runs, newRepository(true), app -> { }, this::killTriggerAndDeliverTheWebhookAgain));
        awaitAll(scenarios);

        assertPublishedAnnouncedOnceAndClean(runs);
    }

    @Test
    @Order(2)
    void twoInstancesShareTheWorkAndTheSurvivorResumesWhatAKilledOneWasDoing() throws Exception {
        slipway.scale("builder-service", 2);
        slipway.scale("tester-service", 2);
        try {
            // Healthy is not yet in the group: the runs below are pushed once each second instance owns a partition.
            for (String instance : List.of("builder-service-2", "tester-service-2")) {
                await(instance + " assigned a partition").atMost(FAULT_TIMEOUT).pollInterval(POLL)
                        .until(() -> ASSIGNED.matcher(slipway.log(instance)).find());
            }
            List<Run> shared = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                shared.add(push(repositoryOnPartition(partition), app -> { }));
            }
            for (Run run : shared) {
                events.awaitPublished(run.id());
            }
            Set<Integer> builtBySecond = partitionsOf(shared, run -> slipway.log("builder-service-2")
                    .contains("Run " + run.id() + ": staged"));
            Set<Integer> builtByFirst = partitionsOf(shared, run -> slipway.log("builder-service")
                    .contains("Run " + run.id() + ": staged"));
            Set<Integer> testedBySecond = partitionsOf(shared, run -> testerContainers().stream()
                    .anyMatch(c -> c.runId().equals(run.id()) && c.instance().equals(testerInstance + "-2")));
            Set<Integer> testedByFirst = partitionsOf(shared, run -> testerContainers().stream()
                    .anyMatch(c -> c.runId().equals(run.id()) && c.instance().equals(testerInstance)));
            assertThat(builtByFirst).as("partitions built by builder-service").isNotEmpty();
            assertThat(builtBySecond).as("partitions built by builder-service-2").isNotEmpty();
            assertThat(testedByFirst).as("partitions tested by tester-service").isNotEmpty();
            assertThat(testedBySecond).as("partitions tested by tester-service-2").isNotEmpty();

            // One slow test on a partition of tester-service-2, then one slow build on a partition of
            // builder-service-2, so that each is killed while the other instance is idle.
            Run test = push(repositoryOnPartition(testedBySecond.iterator().next()), this::slowTests);
            await("ImageBuilt of " + test.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL)
                    .until(() -> !events.ofRun(test.id(), ImageBuilt.class).isEmpty());
            Run build = push(repositoryOnPartition(builtBySecond.iterator().next()), this::slowBuild);

            await("tester-service-2 testing " + test.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL).until(() ->
                    testerContainers().stream().anyMatch(c -> c.runId().equals(test.id())
                            && c.instance().equals(testerInstance + "-2")));
            long testerKilled = System.currentTimeMillis();
            slipway.kill("tester-service-2");
            CompletableFuture<Long> testerResumed = CompletableFuture.supplyAsync(() -> await("tester-service resuming "
                    + test.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL).until(() -> testerContainers().stream()
                    .filter(c -> c.runId().equals(test.id()) && c.instance().equals(testerInstance))
                    .mapToLong(TesterContainer::epochMillis).min(), OptionalLong::isPresent).getAsLong(), faults);

            await("builder-service-2 building " + build.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL)
                    .until(() -> workspaceOf(2, build).isPresent());
            long builderKilled = System.currentTimeMillis();
            slipway.kill("builder-service-2");
            await("builder-service resuming " + build.id()).atMost(FAULT_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> workspaceOf(1, build).isPresent());
            long builderResumed = System.currentTimeMillis();

            long testerResume = testerResumed.get(FAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS) - testerKilled;
            long builderResume = builderResumed - builderKilled;
            System.out.println("resume after kill -9 (builder-service-2 -> builder-service): " + builderResume + " ms");
            System.out.println("resume after kill -9 (tester-service-2 -> tester-service): " + testerResume + " ms");
            // Session timeout (10 s) plus a rebalance: well under the default 45 s of Kafka clients.
            assertThat(builderResume).isBetween(0L, 30_000L);
            assertThat(testerResume).isBetween(0L, 30_000L);

            List<Run> all = new ArrayList<>(shared);
            all.add(test);
            all.add(build);
            for (Run run : all) {
                events.awaitPublished(run.id());
            }
            // The killed instances come back with ./slipway up and sweep what they left behind.
            slipway.upAgain();
            assertPublishedAnnouncedOnceAndClean(all);
        } finally {
            slipway.scale("builder-service", 1);
            slipway.scale("tester-service", 1);
        }
    }

    @Test
    @Order(3)
    void noRunIsLostOrDuplicatedWhenTheBrokerIsKilledInTheMiddleOfRuns() {
        List<Run> runs = new ArrayList<>();
        runs.add(push(newRepository(false), this::slowBuild));
        runs.add(push(newRepository(false), this::slowTests));
        runs.add(push(newRepository(false), app -> { }));
        await("a build under way").atMost(FAULT_TIMEOUT).pollInterval(POLL)
                .until(() -> workspaceOf(1, runs.get(0)).isPresent());

        slipway.kill("devstack");
        slipway.upAgain();

        assertPublishedAnnouncedOnceAndClean(runs, false);
        for (Run run : runs) {
            // An outcome published just before the broker died, whose offset commit died with it, is built again:
            // the builder's documented at-least-once (a cache hit of the same digest), never a second image.
            List<ImageBuilt> built = events.ofRun(run.id(), ImageBuilt.class);
            assertThat(built).as("ImageBuilt of %s", run.id()).isNotEmpty()
                    .extracting(b -> b.getImage().getDigest()).containsOnly(built.get(0).getImage().getDigest());
            assertThat(built.subList(1, built.size())).as("repeated ImageBuilt of %s", run.id())
                    .allMatch(ImageBuilt::getCacheHit);
        }
    }

    @Test
    @Order(4)
    void runsRideOutRegistriesTheDockerEngineSlackAndGitHubBeingUnreachableForAWhile() {
        // The Slack and GitHub run is pushed once the staging registry is back: pushed during its outage, it could
        // take the builder slot ahead of the registry run, whose first failed attempt ends the outage, and retry
        // against a registry that stays down meanwhile.
        CompletableFuture<Void> stagingBack = new CompletableFuture<>();
        concurrently(() -> registriesDown(stagingBack), () -> slackAndGitHubDown(stagingBack));
        // Alone: every build needs the engine, so an outage would reach the other runs' builds too.
        dockerEngineDown();
    }

    private void registriesDown(CompletableFuture<Void> stagingBack) {
        slipway.stagingRegistry().stop();
        slipway.releaseRegistry().stop();
        Run run = push(newRepository(false), app -> { });
        try {
            await("builder retrying " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL).until(() ->
                    slipway.log("builder-service").contains(retried(run, 1)));
        } finally {
            slipway.stagingRegistry().restart();
            stagingBack.complete(null);
        }
        try {
            await("TestsPassed of " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL)
                    .until(() -> !events.ofRun(run.id(), TestsPassed.class).isEmpty());
            int faultsBefore = count(slipway.log("deliverer-service"), "Transient fault on slipway.tests-");
            await("deliverer retrying " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL).until(() ->
                    count(slipway.log("deliverer-service"), "Transient fault on slipway.tests-") > faultsBefore);
        } finally {
            slipway.releaseRegistry().restart();
        }
        assertPublishedAnnouncedOnceAndClean(List.of(run));
    }

    private void dockerEngineDown() {
        Run run;
        engine.cut();
        try {
            run = push(newRepository(false), app -> { });
            await("builder retrying " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL).until(() ->
                    slipway.log("builder-service").contains(retried(run, 2)));
        } finally {
            engine.restore();
        }
        assertPublishedAnnouncedOnceAndClean(List.of(run));
    }

    private void slackAndGitHubDown(CompletableFuture<Void> stagingBack) {
        try {
            stagingBack.get(FAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the staging registry did not come back", e);
        }
        Run run = push(newRepository(false), app -> { });
        await("TestsPassed of " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL)
                .until(() -> !events.ofRun(run.id(), TestsPassed.class).isEmpty());
        // Each channel delivers one notification at a time, so the first one refused may be the other scenario's
        // run's (published meanwhile), this run's waiting behind it: both channels refused one and retry.
        int slackBefore = refusedSlack();
        int statusesBefore = refusedSuccessStatuses();
        slipway.endpoints().unavailable(true);
        try {
            await("Slack and GitHub refusing notifications (" + run.id() + " or one before it)").atMost(FAULT_TIMEOUT)
                    .pollInterval(POLL).until(() -> refusedSlack() > slackBefore
                            && refusedSuccessStatuses() > statusesBefore);
        } finally {
            slipway.endpoints().unavailable(false);
        }
        assertPublishedAnnouncedOnceAndClean(List.of(run));
    }

    private void killBuilderWhileItBuilds(Run run) {
        await("builder-service building " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL)
                .until(() -> workspaceOf(1, run).isPresent());
        assertThat(events.ofRun(run.id(), ImageBuilt.class)).isEmpty();
        slipway.kill("builder-service");
        assertThat(workspaceOf(1, run)).as("the workspace the killed builder left").isPresent();
        slipway.upAgain();
    }

    private void killTesterWhileItTests(Run run) {
        await("tester-service testing " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL).until(() ->
                testerContainers().stream().anyMatch(c -> c.runId().equals(run.id())));
        assertThat(events.ofRun(run.id(), TestsPassed.class)).isEmpty();
        slipway.kill("tester-service");
        slipway.upAgain();
    }

    private void killTriggerAndDeliverTheWebhookAgain(Run run) {
        await("CommitReceived of " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL)
                .until(() -> !events.ofRun(run.id(), CommitReceived.class).isEmpty());
        slipway.kill("trigger-service");
        slipway.upAgain();
        LocalEndpoints.Request webhook = slipway.endpoints().requests("/relay/").stream()
                .filter(r -> r.body().contains("\"" + run.app().name() + "\"")).findFirst().orElseThrow();
        HttpResponse<String> again = slipway.endpoints().deliver(webhook, UUID.randomUUID().toString());
        assertThat(again.statusCode()).as(again.body()).isIn(200, 202);
        assertThat(again.body()).contains(run.id());
    }

    private void killDelivererWhileItRetriesTheRelease(Run run) {
        // The release registry goes down while the run's 6 s test runs, so its TestsPassed reaches a deliverer that
        // cannot publish it. (Stopped at ImageBuilt instead, the run had been published before the stop once, on a
        // loaded machine where seeing the event took as long as testing the image.)
        await("tester-service testing " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL).until(() ->
                testerContainers().stream().anyMatch(c -> c.runId().equals(run.id())));
        int faultsBefore = count(slipway.log("deliverer-service"), "Transient fault on slipway.tests-");
        slipway.releaseRegistry().stop();
        try {
            await("deliverer-service retrying " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL).until(() ->
                    !events.ofRun(run.id(), TestsPassed.class).isEmpty()
                            && count(slipway.log("deliverer-service"), "Transient fault on slipway.tests-") > faultsBefore);
            assertThat(events.ofRun(run.id(), ArtifactPublished.class)).isEmpty();
            slipway.kill("deliverer-service");
        } finally {
            slipway.releaseRegistry().restart();
        }
        slipway.upAgain();
    }

    private void killNotifierWhileItRetriesSlack(Run run) {
        await("TestsPassed of " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL)
                .until(() -> !events.ofRun(run.id(), TestsPassed.class).isEmpty());
        // The Slack channel delivers one notification at a time: the one it retries may be another run's that was
        // published meanwhile, with this run's queued behind it until Slack answers again.
        int refusedBefore = refusedSlack();
        slipway.endpoints().unavailable(true);
        try {
            await("notifier-service retrying Slack (" + run.id() + " or one before it)").atMost(FAULT_TIMEOUT)
                    .pollInterval(POLL).until(() -> refusedSlack() > refusedBefore);
            slipway.kill("notifier-service");
        } finally {
            slipway.endpoints().unavailable(false);
        }
        slipway.upAgain();
    }

    /**
     * Each run: one {@code CommitReceived}, {@code ImageBuilt} and {@code ArtifactPublished}, one Slack message and
     * one {@code success} status; and, once all are done, no tester container of this stack, no container of a slow
     * build step and no builder workspace left.
     */
    private void assertPublishedAnnouncedOnceAndClean(List<Run> runs) {
        assertPublishedAnnouncedOnceAndClean(runs, true);
    }

    /** As above; with {@code oneImageBuilt} false, the number of {@code ImageBuilt} events is left to the caller. */
    private void assertPublishedAnnouncedOnceAndClean(List<Run> runs, boolean oneImageBuilt) {
        for (Run run : runs) {
            events.awaitPublished(run.id());
            await("Slack message and success status of " + run.id()).atMost(FAULT_TIMEOUT).pollInterval(POLL)
                    .until(() -> !slackMessages(run).isEmpty() && !successStatuses(run).isEmpty());
        }
        for (Run run : runs) {
            assertThat(events.ofRun(run.id(), CommitReceived.class)).as("CommitReceived of %s", run.id()).hasSize(1);
            if (oneImageBuilt) {
                assertThat(events.ofRun(run.id(), ImageBuilt.class)).as("ImageBuilt of %s", run.id()).hasSize(1);
            }
            assertThat(events.ofRun(run.id(), ArtifactPublished.class)).as("ArtifactPublished of %s", run.id()).hasSize(1);
            assertThat(slackMessages(run)).as("Slack messages about %s", run.id()).hasSize(1);
            assertThat(successStatuses(run)).as("success statuses of %s", run.id()).hasSize(1);
        }
        await("no container and no workspace left").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertThat(leftoverContainers()).as("containers left behind").isEmpty();
                    for (int instance = 1; instance <= 2; instance++) {
                        assertThat(slipway.workspaces(instance)).as("workspaces of builder instance %s", instance).isEmpty();
                    }
                });
    }

    private List<LocalEndpoints.Request> slackMessages(Run run) {
        return slipway.endpoints().requests("/slack/e2e").stream().filter(m -> m.body().contains(run.id())).toList();
    }

    private List<LocalEndpoints.Request> successStatuses(Run run) {
        return slipway.endpoints().requests(statusPath(run)).stream()
                .filter(status -> status.body().contains("\"success\"")).toList();
    }

    private int refusedSlack() {
        return slipway.endpoints().refused("/slack/e2e").size();
    }

    private int refusedSuccessStatuses() {
        return (int) slipway.endpoints().refused("/github/repos/").stream()
                .filter(status -> status.path().contains("/statuses/") && status.body().contains("\"success\"")).count();
    }

    private static String statusPath(Run run) {
        return "/github/repos/" + run.app().name() + "/statuses/" + run.push().sha();
    }

    /** Containers this stack's testers made, or a slow build step of these tests ran in, that still exist. */
    private List<String> leftoverContainers() {
        String listed = Commands.run(Path.of("."), Map.of(), Duration.ofSeconds(30), "docker", "-H",
                "unix:///var/run/docker.sock", "ps", "-a", "--no-trunc", "--format",
                "{{.ID}} {{.Label \"io.slipway.tester.instance\"}} {{.Command}}");
        return listed.lines().filter(line -> line.contains(" " + testerInstance) || line.contains(SLOW_MARKER)).toList();
    }

    private List<TesterContainer> testerContainers() {
        try {
            return Files.readAllLines(engineEventsLog).stream().map(line -> line.split(" "))
                    .filter(fields -> fields.length == 3 && fields[1].startsWith(testerInstance))
                    .map(fields -> new TesterContainer(Long.parseLong(fields[0]) / 1_000_000, fields[1], fields[2]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Path> workspaceOf(int instance, Run run) {
        return slipway.workspaces(instance).stream().filter(p -> p.getFileName().toString().startsWith(run.id())).findFirst();
    }

    /** A {@code RUN} step that takes 15 s, unique to the commit so the engine's build cache cannot skip it. */
    private void slowBuild(SampleRepository app) {
        app.commit("A slow build step", "Dockerfile", dockerfile -> dockerfile + "RUN [\"/bin/busybox\", \"sh\", \"-c\", "
                + "\"sleep 15; echo " + SLOW_MARKER + UUID.randomUUID() + "\"]\n");
    }

    /** A command test that takes 15 s. */
    private void slowTests(SampleRepository app) {
        testsTaking(app, 15);
    }

    /** A command test that takes {@code seconds}. */
    private static void testsTaking(SampleRepository app, int seconds) {
        app.commit("A slow test", "tests/structure.yaml", suite -> suite.replace("commandTests:\n", """
                commandTests:
                  - name: a slow check
                    command: /bin/busybox
                    args: ["sleep", "%d"]
                """.formatted(seconds)));
    }

    private Run push(SampleRepository app, Consumer<SampleRepository> change) {
        change.accept(app);
        return new Run(app, app.push());
    }

    private SampleRepository newRepository(boolean relayed) {
        return slipway.repository("e2e/faults-" + repositories.incrementAndGet(), relayed);
    }

    /** A new repository whose name the producers' default partitioner puts on {@code partition}. */
    private SampleRepository repositoryOnPartition(int partition) {
        while (true) {
            String name = "e2e/faults-" + repositories.incrementAndGet();
            if (partitionOf(name) == partition) {
                return slipway.repository(name, false);
            }
        }
    }

    private static int partitionOf(String repository) {
        return Utils.toPositive(Utils.murmur2(repository.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static Set<Integer> partitionsOf(List<Run> runs, Predicate<Run> filter) {
        Set<Integer> partitions = new HashSet<>();
        runs.stream().filter(filter).forEach(run -> partitions.add(partitionOf(run.app().name())));
        return partitions;
    }

    /** What the record pipeline logs when attempt {@code attempt} at the run's record met a transient fault. */
    private static String retried(Run run, int attempt) {
        return "(key " + run.app().name() + ", attempt " + attempt + ",";
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private void concurrently(Runnable... scenarios) {
        awaitAll(Stream.of(scenarios).map(s -> CompletableFuture.runAsync(s, faults)).toList());
    }

    /** Pushes a run and starts its fault scenario at once, while the caller goes on pushing. */
    private CompletableFuture<Void> pushThen(List<Run> runs, SampleRepository app, Consumer<SampleRepository> change,
                                             Consumer<Run> scenario) {
        Run run = push(app, change);
        runs.add(run);
        return CompletableFuture.runAsync(() -> scenario.accept(run), faults);
    }

    private static void awaitAll(List<? extends CompletableFuture<?>> scenarios) {
        try {
            CompletableFuture.allOf(scenarios.toArray(CompletableFuture[]::new)).get(6, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

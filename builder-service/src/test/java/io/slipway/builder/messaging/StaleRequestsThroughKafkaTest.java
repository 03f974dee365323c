package io.slipway.builder.messaging;

import com.github.dockerjava.api.DockerClient;
import io.micronaut.context.ApplicationContext;
import io.slipway.builder.BuilderTestSupport;
import io.slipway.builder.TestRepository;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.requests.RequestStates;
import io.slipway.common.testing.DockerTestImages;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.RequestRuns;
import io.slipway.common.testing.TopicReader;
import io.slipway.container.DockerEngine;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.ImageBuilt;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.slipway.builder.BuilderTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Latest wins per pull request, through the real broker and schema registry, the real Docker engine and registry and
 * real git: a state the trigger writes to {@code slipway.requests} (written here as it will) stops the running build of
 * an older head — the engine's build container, the workspace and any image are gone — or keeps a waiting run of a
 * closed request from being built at all, while a push's build goes on whatever the request states say.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaleRequestsThroughKafkaTest {

    private final SharedDevStack stack = SharedDevStack.get();
    private final DockerClient docker = DockerEngine.connect(DockerEngine.DEFAULT_HOST, Duration.ofSeconds(30));
    private Path tmp;
    private LocalRegistry registry;
    private String base;
    private AvroEventDeserializer deserializer;
    private ApplicationContext builder;

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("stale-requests");
        registry = LocalRegistry.start(tmp.resolve("registry"), BuilderTestSupport.REGISTRY_USER,
                BuilderTestSupport.REGISTRY_PASSWORD);
        base = DockerTestImages.busybox();
        deserializer = new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
        String group = unique("builder-stale");
        Map<String, Object> config = BuilderTestSupport.kafkaConfig(stack, group, tmp.resolve("work"), registry, "5s");
        // Only this class's commits: not those other tests in this JVM left on slipway.commits.
        config.put("kafka.consumers." + group + ".auto.offset.reset", "latest");
        builder = ApplicationContext.run(config);
        BuilderTestSupport.awaitAssigned(builder, 2);
    }

    @AfterAll
    void stop() throws Exception {
        // A start that failed half way (no Docker engine) must still stop the registry process it started.
        if (builder != null) {
            builder.close();
        }
        if (registry != null) {
            registry.close();
        }
        docker.close();
    }

    private TestRepository repo(String image) {
        TestRepository repo = TestRepository.create(tmp.resolve(unique("repo")));
        repo.commit("initial", Map.of(".slipway.yml", "image: it/" + image + "\n", "Dockerfile", "FROM " + base + "\n"));
        return repo;
    }

    /** A commit whose build runs {@code sleep seconds} and then echoes {@code marker}, the name of its build step. */
    private String slowCommit(TestRepository repo, int seconds, String marker) {
        return repo.commit("slow", Map.of("Dockerfile", "FROM " + base + "\nRUN sleep " + seconds + " && echo "
                + marker + "\n"));
    }

    private void send(RunContext run) {
        builder.getBean(EventPublisher.class).publish(Topics.COMMITS, CommitReceived.newBuilder()
                .setEventId(RunIds.newEventId()).setRun(run).setSource("generic").setEmittedAt(Instant.now()).build());
    }

    /** The events of {@code type} on {@code topic} for the run, once at least one has arrived. */
    private <T extends SpecificRecord> List<T> outcomesOf(RunContext run, String topic, Class<T> type) {
        return await().atMost(Duration.ofMinutes(2)).until(() -> TopicReader.readAtLeast(stack.bootstrapServers(),
                        topic, 0).stream()
                .map(r -> deserializer.deserialize(r.topic(), r.headers(), r.value()))
                .filter(type::isInstance).map(type::cast)
                .filter(e -> ((RunContext) e.get(e.getSchema().getField("run").pos())).getRunId().equals(run.getRunId()))
                .toList(), events -> !events.isEmpty());
    }

    private boolean buildContainerOf(String marker) {
        return docker.listContainersCmd().withShowAll(true).exec().stream()
                .anyMatch(c -> c.getCommand() != null && c.getCommand().contains(marker));
    }

    private List<Path> workspacesOf(RunContext run) throws Exception {
        Path workspaces = tmp.resolve("work").resolve("workspaces");
        if (!Files.isDirectory(workspaces)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(workspaces)) {
            return all.filter(p -> p.getFileName().toString().startsWith(run.getRunId())).toList();
        }
    }

    private boolean manifestPushed(String image) {
        return registry.requests().stream()
                .anyMatch(r -> r.method().equals("PUT") && r.uri().startsWith("/v2/staging/it/" + image + "/manifests/"));
    }

    @Test
    void aNewerHeadStopsTheRunningBuildOfTheOlderHeadAndTheNewerHeadIsBuilt() throws Exception {
        String image = unique("pr");
        String repository = "it/" + image;
        TestRepository repo = repo(image);
        String marker = unique("older-head");
        RunContext older = RequestRuns.run(repository, repo.cloneUrl(), 7, slowCommit(repo, 300, marker), 1_000);
        repo.setRef("refs/pull/7/head", older.getCommit().getSha());
        String newerSha = repo.commit("fixed", Map.of("Dockerfile", "FROM " + base + "\nRUN echo newer\n"));
        RunContext newer = RequestRuns.run(repository, repo.cloneUrl(), 7, newerSha, 1_001);
        send(older);
        await().atMost(Duration.ofMinutes(1)).until(() -> buildContainerOf(marker) && !workspacesOf(older).isEmpty());

        // The forge moves the request's ref to the new head, then the trigger says so.
        repo.setRef("refs/pull/7/head", newerSha);
        RequestRuns.write(stack, RequestRuns.state(repository, 7, true, newerSha, 1_001));
        send(newer);

        BuildFailed stopped = outcomesOf(older, Topics.FAILURES, BuildFailed.class).get(0);
        assertThat(stopped.getReasonCode()).isEqualTo("SUPERSEDED");
        assertThat(stopped.getRetryable()).isFalse();
        assertThat(stopped.getMessage()).contains("request #7 got head " + newerSha.substring(0, 12))
                .contains("the build of " + older.getCommit().getSha().substring(0, 7) + " was stopped");
        ImageBuilt built = outcomesOf(newer, Topics.IMAGES, ImageBuilt.class).get(0);
        assertThat(built.getImage().getTag()).as("a request's own tag scheme").isEqualTo("pr-7-" + newerSha.substring(0, 12));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(buildContainerOf(marker))
                .as("the engine stopped the build and removed its container").isFalse());
        assertThat(workspacesOf(older)).isEmpty();
        assertThat(docker.listImagesCmd().withLabelFilter(Map.of("io.slipway.run-id", older.getRunId())).exec())
                .as("no image of the stopped build").isEmpty();
        assertThat(registry.requests()).noneMatch(r -> r.method().equals("PUT")
                && r.uri().equals("/v2/staging/it/" + image + "/manifests/" + older.getCommit().getSha()));
        assertThat(outcomesOf(older, Topics.FAILURES, BuildFailed.class)).as("one outcome, committed").hasSize(1);
        assertThat(TopicReader.readAtLeast(stack.bootstrapServers(), Topics.IMAGES, 0).stream()
                .filter(r -> new String(r.key()).equals(repository))).hasSize(1);
    }

    @Test
    void closingTheRequestCancelsItsWaitingRunWhileThePushAheadOfItIsBuilt() {
        String image = unique("closed");
        String repository = "it/" + image;
        TestRepository repo = repo(image);
        String pushMarker = unique("push");
        String pushSha = slowCommit(repo, 10, pushMarker);
        RunContext push = RunContext.newBuilder(RequestRuns.run(repository, repo.cloneUrl(), 8, pushSha, 2_000))
                .setRequest(null).setRunId(RunIds.runId(repository, pushSha, "refs/heads/main")).build();
        push.getCommit().setRef("refs/heads/main");
        String waitingMarker = unique("waiting");
        RunContext waiting = RequestRuns.run(repository, repo.cloneUrl(), 8, slowCommit(repo, 4, waitingMarker), 2_001);
        repo.setRef("refs/pull/8/head", waiting.getCommit().getSha());
        send(push);
        send(waiting);
        await().atMost(Duration.ofMinutes(1)).until(() -> buildContainerOf(pushMarker));

        RequestRuns.write(stack, RequestRuns.state(repository, 8, false, waiting.getCommit().getSha(), 2_002));
        await().atMost(Duration.ofSeconds(5)).until(() -> builder.getBean(RequestStates.class).get(repository, 8)
                .filter(state -> !state.getOpen()).isPresent());
        assertThat(buildContainerOf(pushMarker)).as("the closed state was read while the run waited").isTrue();

        BuildFailed cancelled = outcomesOf(waiting, Topics.FAILURES, BuildFailed.class).get(0);
        assertThat(cancelled.getReasonCode()).isEqualTo("CANCELLED");
        assertThat(cancelled.getRetryable()).isFalse();
        assertThat(cancelled.getMessage()).isEqualTo("Request #8 was closed; commit "
                + waiting.getCommit().getSha().substring(0, 7) + " was not built.");
        assertThat(cancelled.getLogExcerpt()).isNull();
        assertThat(outcomesOf(push, Topics.IMAGES, ImageBuilt.class)).as("the push is no request's run").hasSize(1);
        assertThat(manifestPushed(image)).isTrue();
        assertThat(registry.requests()).noneMatch(r -> r.uri().endsWith("/manifests/" + waiting.getCommit().getSha()));
        assertThat(buildContainerOf(waitingMarker)).isFalse();
    }
}

package io.slipway.builder.messaging;

import com.github.dockerjava.api.DockerClient;
import io.micronaut.context.ApplicationContext;
import io.slipway.builder.BuilderTestSupport;
import io.slipway.builder.TestRepository;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.testing.DockerTestImages;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.TopicReader;
import io.slipway.container.DockerEngine;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.BuildFailed;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.slipway.builder.BuilderTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * builder-service through a real broker and schema registry, real Docker engine and registry: CommitReceived in,
 * exactly the expected ImageBuilt / BuildFailed out; waiting commits of a branch superseded by the newest; a registry
 * down through the retry budget ending the run as retryable INFRASTRUCTURE; a build cancelled at shutdown handed back
 * and built by the next instance of the group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildsThroughKafkaTest {

    private final SharedDevStack stack = SharedDevStack.get();
    private final String group = unique("builder-it");
    private final List<ApplicationContext> contexts = new ArrayList<>();
    private Path tmp;
    private LocalRegistry registry;
    private String base;
    private AvroEventDeserializer deserializer;
    private ApplicationContext builder;

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("builds-kafka");
        registry = LocalRegistry.start(tmp.resolve("registry"), BuilderTestSupport.REGISTRY_USER, BuilderTestSupport.REGISTRY_PASSWORD);
        base = DockerTestImages.busybox();
        deserializer = new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
        builder = startBuilder("5s");
    }

    @AfterAll
    void stop() {
        contexts.forEach(ApplicationContext::close);
        registry.close();
    }

    private ApplicationContext startBuilder(String shutdownGrace) {
        ApplicationContext context = ApplicationContext.run(BuilderTestSupport.kafkaConfig(stack, group,
                tmp.resolve("work"), registry, shutdownGrace));
        contexts.add(context);
        // One stage worker, hence one group member, per build slot.
        BuilderTestSupport.awaitAssigned(context, 2 * (int) contexts.stream().filter(ApplicationContext::isRunning).count());
        return context;
    }

    private CommitReceived send(ApplicationContext context, String repository, TestRepository repo, String sha) {
        String ref = "refs/heads/main";
        CommitReceived event = CommitReceived.newBuilder().setEventId(RunIds.newEventId())
                .setRun(RunContext.newBuilder().setRunId(RunIds.runId(repository, sha, ref)).setAttempt(1)
                        .setRepository(Repository.newBuilder().setFullName(repository).setCloneUrl(repo.cloneUrl()).build())
                        .setCommit(Commit.newBuilder().setSha(sha).setRef(ref).setMessage("m").setAuthorName("Ada")
                                .setTimestamp(Instant.now()).build())
                        .setTriggeredAt(Instant.now()).build())
                .setSource("generic").setEmittedAt(Instant.now()).build();
        context.getBean(EventPublisher.class).publish(Topics.COMMITS, event);
        return event;
    }

    private TestRepository repo(String image, String dockerfile) {
        TestRepository repo = TestRepository.create(tmp.resolve(unique("repo")));
        repo.commit("initial", Map.of(".slipway.yml", "image: it/" + image + "\ntests: [suite.yaml]\n"
                        + "deploy:\n  environments: [staging]\n  smoke: [{path: /health, status: 204}]\n",
                "Dockerfile", dockerfile, "suite.yaml", "schemaVersion: 2.0.0\n"));
        return repo;
    }

    /** Every event of the repository on a topic, once at least {@code expected} have arrived. */
    private <T extends SpecificRecord> List<T> eventsOf(String topic, Class<T> type, String repository, int expected) {
        List<T> events = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            events.clear();
            TopicReader.readAtLeast(stack.bootstrapServers(), topic, 0).stream()
                    .map(r -> deserializer.deserialize(r.topic(), r.headers(), r.value()))
                    .filter(type::isInstance).map(type::cast)
                    .filter(e -> EventPublisher.keyOf(e).equals(repository))
                    .forEach(events::add);
            assertThat(events).hasSizeGreaterThanOrEqualTo(expected);
        });
        return events;
    }

    @Test
    @Order(1)
    void aCommitBecomesImageBuiltAndAMissingPipelineFileBuildFailed() {
        String good = unique("it/good");
        TestRepository repo = repo(good.substring(3), "FROM " + base + "\nRUN echo built\n");
        CommitReceived commit = send(builder, good, repo, repo.commit("touch", Map.of("a.txt", "a")));
        String bare = unique("it/bare");
        TestRepository without = TestRepository.create(tmp.resolve(unique("repo")));
        CommitReceived missing = send(builder, bare, without, without.commit("no config", Map.of("Dockerfile", "FROM scratch\n")));

        ImageBuilt built = eventsOf(Topics.IMAGES, ImageBuilt.class, good, 1).get(0);
        BuildFailed failed = eventsOf(Topics.FAILURES, BuildFailed.class, bare, 1).get(0);

        assertThat(built.getRun()).isEqualTo(commit.getRun());
        assertThat(built.getImage().getRegistry()).isEqualTo(registry.host());
        assertThat(built.getImage().getRepository()).isEqualTo("staging/" + good);
        assertThat(built.getImage().getTag()).isEqualTo(commit.getRun().getCommit().getSha());
        assertThat(built.getImage().getDigest()).startsWith("sha256:");
        assertThat(built.getCacheHit()).isFalse();
        assertThat(built.getTestSuites()).extracting(s -> s.getPath() + "=" + s.getContent())
                .containsExactly("suite.yaml=schemaVersion: 2.0.0\n");
        assertThat(built.getDeploy().getEnvironments()).containsExactly("staging");
        assertThat(built.getDeploy().getSmoke()).extracting(c -> c.getPath() + " " + c.getStatus() + " " + c.getContains())
                .containsExactly("/health 204 null");
        assertThat(failed.getRun()).isEqualTo(missing.getRun());
        assertThat(failed.getReasonCode()).isEqualTo("CONFIG_MISSING");
        assertThat(failed.getStage().name()).isEqualTo("BUILD");
        assertThat(failed.getRetryable()).isFalse();
    }

    @Test
    @Order(2)
    void onlyTheNewestWaitingCommitOfABranchIsBuilt() {
        String slow = unique("it/slow");
        TestRepository slowRepo = repo(slow.substring(3), "FROM " + base + "\nRUN sleep 3\n");
        send(builder, slow, slowRepo, slowRepo.commit("slow", Map.of("s.txt", "s")));
        String app = unique("it/app");
        TestRepository repo = repo(app.substring(3), "FROM " + base + "\nCOPY suite.yaml /suite.yaml\n");
        List<String> shas = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            shas.add(send(builder, app, repo, repo.commit("commit " + i, Map.of("n.txt", "" + i))).getRun().getCommit().getSha());
        }

        List<ImageBuilt> built = eventsOf(Topics.IMAGES, ImageBuilt.class, app, 1);
        List<BuildFailed> superseded = eventsOf(Topics.FAILURES, BuildFailed.class, app, 2);

        assertThat(built).extracting(e -> e.getRun().getCommit().getSha()).containsExactly(shas.get(2));
        assertThat(superseded).extracting(e -> e.getRun().getCommit().getSha()).containsExactly(shas.get(0), shas.get(1));
        assertThat(superseded).allSatisfy(e -> {
            assertThat(e.getReasonCode()).isEqualTo("SUPERSEDED");
            assertThat(e.getRetryable()).isFalse();
            assertThat(e.getMessage()).contains(shas.get(2).substring(0, 7));
        });
        assertThat(eventsOf(Topics.IMAGES, ImageBuilt.class, slow, 1)).hasSize(1);
    }

    @Test
    @Order(3)
    void aRegistryThatStaysDownThroughTheRetryBudgetEndsTheRunAsRetryableInfrastructure() {
        String app = unique("it/unreachable");
        TestRepository repo = repo(app.substring(3), "FROM " + base + "\n");
        CommitReceived commit;
        BuildFailed failed;
        registry.stop();
        try {
            commit = send(builder, app, repo, repo.commit("touch", Map.of("u.txt", "u")));
            failed = eventsOf(Topics.FAILURES, BuildFailed.class, app, 1).get(0);
        } finally {
            registry.restart();
        }

        assertThat(failed.getRun()).isEqualTo(commit.getRun());
        assertThat(failed.getReasonCode()).isEqualTo("INFRASTRUCTURE");
        assertThat(failed.getRetryable()).isTrue();
        assertThat(failed.getMessage()).contains(registry.host()).contains("still failing after retrying for");
        assertThat(TopicReader.readAtLeast(stack.bootstrapServers(), Topics.deadLetter(Topics.COMMITS), 0).stream()
                .filter(r -> new String(r.key()).equals(app))).as("a failure event, not a dead letter").isEmpty();
    }

    @Test
    @Order(4)
    void aBuildRunningAtShutdownIsHandedBackAndBuiltByTheNextInstance() throws Exception {
        builder.close();
        ApplicationContext stopping = startBuilder("0s");
        String marker = unique("handback");
        String app = unique("it/handback");
        TestRepository repo = repo(app.substring(3), "FROM " + base + "\nRUN sleep 5 && echo " + marker + "\n");
        send(stopping, app, repo, repo.commit("slow", Map.of("h.txt", "h")));
        try (DockerClient docker = DockerEngine.connect(DockerEngine.DEFAULT_HOST, Duration.ofSeconds(30))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> docker.listContainersCmd().exec().stream()
                    .anyMatch(c -> c.getCommand() != null && c.getCommand().contains(marker)));
        }

        stopping.close();

        assertThat(TopicReader.readAtLeast(stack.bootstrapServers(), Topics.IMAGES, 0).stream()
                .filter(r -> new String(r.key()).equals(app))).as("no outcome before the hand-back").isEmpty();
        startBuilder("5s");
        List<ImageBuilt> built = eventsOf(Topics.IMAGES, ImageBuilt.class, app, 1);
        assertThat(built).hasSize(1);
        assertThat(eventsOf(Topics.FAILURES, BuildFailed.class, app, 0)).isEmpty();
    }
}

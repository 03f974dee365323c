package io.slipway.builder.messaging;

import io.micronaut.context.ApplicationContext;
import io.slipway.builder.BuilderTestSupport;
import io.slipway.builder.domain.BuildService;
import io.slipway.builder.domain.Builds;
import io.slipway.builder.domain.DryRunBuilds;
import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.TopicTail;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactKind;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.ImageBuilt;
import io.slipway.events.LogChunk;
import io.slipway.events.Stage;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.slipway.builder.BuilderTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * builder-service with {@code slipway.dry-run=true} through a real broker and schema registry: the dry-run backend
 * replaces the build service, so a commit that cannot be fetched from anywhere (nor built: the Docker host leads
 * nowhere either) still becomes exactly one {@code ImageBuilt} naming the dry-run image and digest, and no
 * {@code BuildFailed}; its one log line reaches {@code slipway.logs} as a {@code LogChunk}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DryRunBuildsThroughKafkaTest {

    private static final String REGISTRY = "127.0.0.1:1";

    @TempDir
    static Path tmp;
    private final SharedDevStack stack = SharedDevStack.get();
    private AvroEventDeserializer deserializer;
    private ApplicationContext builder;

    @BeforeAll
    void start() {
        deserializer = new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("slipway.dry-run", "true");
        // A poll's commits share one transaction: the budget must fit in it (the builder's own is a build's, 10 min).
        config.put("slipway.kafka.retry-budget", "30s");
        config.put("slipway.builder.group-id", unique("builder-dry-run"));
        config.put("slipway.builder.workdir", tmp.resolve("work").toString());
        config.put("slipway.builder.docker.host", "tcp://127.0.0.1:1");
        config.put("slipway.builder.registry.host", REGISTRY);
        config.put("slipway.builder.registry.prefix", "staging");
        builder = ApplicationContext.run(config);
        BuilderTestSupport.awaitAssigned(builder, 2);
    }

    @AfterAll
    void stop() {
        if (builder != null) {
            builder.close();
        }
    }

    private CommitReceived send(String repository, String sha, String ref) {
        RunContext run = RunContext.newBuilder().setRunId(RunIds.runId(repository, sha, ref)).setAttempt(1)
                .setRepository(Repository.newBuilder().setFullName(repository)
                        .setCloneUrl("https://127.0.0.1:1/" + repository + ".git").build())
                .setCommit(Commit.newBuilder().setSha(sha).setRef(ref).setMessage("never fetched").setAuthorName("Ada")
                        .setTimestamp(Instant.now()).build())
                .setTriggeredAt(Instant.now()).build();
        CommitReceived event = CommitReceived.newBuilder().setEventId(RunIds.newEventId()).setRun(run)
                .setSource("generic").setEmittedAt(Instant.now()).build();
        builder.getBean(EventPublisher.class).publish(Topics.COMMITS, event);
        return event;
    }

    /**
     * Every event of {@code topic} keyed by {@code key} (the repository on pipeline topics, the run id on run streams),
     * read from the beginning to the topic's current end.
     */
    private List<SpecificRecord> eventsOf(String topic, String key) {
        List<SpecificRecord> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicTail.readToEnd(consumer, topic, Duration.ofSeconds(30), record -> {
                if (key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    events.add(deserializer.deserialize(record.topic(), record.headers(), record.value()));
                }
            });
        }
        return events;
    }

    private static String sha256Unchecked(String text) {
        try {
            return sha256(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void replacesTheBuildServiceByTheDryRunBackend() {
        assertThat(builder.findBean(BuildService.class)).isEmpty();
        assertThat(builder.getBean(Builds.class)).isInstanceOf(DryRunBuilds.class);
        assertThat(builder.getBeansOfType(Builds.class)).hasSize(1);
    }

    @Test
    void givesAPollOfCommitsOneTransactionSinceNothingIsBuilt() {
        assertThat(builder.getBean(CommitListener.class).subscription().batching()).isEqualTo(Batching.PER_POLL);
    }

    @Test
    void aBurstOfCommitsSharingTransactionsBecomesExactlyOneImageBuiltEach() {
        String repository = unique("dry/burst");
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            runs.add(send(repository, sha256Unchecked(repository + i).substring(0, 40), "refs/heads/b" + i)
                    .getRun().getRunId());
        }

        List<String> built = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            built.clear();
            eventsOf(Topics.IMAGES, repository).forEach(e -> built.add(((ImageBuilt) e).getRun().getRunId()));
            assertThat(built).contains(runs.get(runs.size() - 1));
        });

        // One key, one partition: the images come in the commits' order, each exactly once.
        assertThat(built).containsExactlyElementsOf(runs);
        assertThat(eventsOf(Topics.FAILURES, repository)).isEmpty();
    }

    @Test
    void aCommitThatExistsNowhereBecomesExactlyOneImageBuiltWithTheDryRunDigest() throws Exception {
        String repository = unique("dry/nowhere");
        String sha = sha256(repository).substring(0, 40);
        CommitReceived commit = send(repository, sha, "refs/heads/main");
        // Same key, so same partition and after the commit: once its outcome is out, the commit's outcomes all are.
        CommitReceived sentinel = send(repository, sha256(sha).substring(0, 40), "refs/heads/sentinel");

        List<ImageBuilt> built = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            built.clear();
            eventsOf(Topics.IMAGES, repository).forEach(e -> built.add((ImageBuilt) e));
            assertThat(built).extracting(e -> e.getRun().getRunId()).contains(sentinel.getRun().getRunId());
        });

        assertThat(built).extracting(e -> e.getRun().getRunId())
                .containsExactly(commit.getRun().getRunId(), sentinel.getRun().getRunId());
        ImageBuilt image = built.get(0);
        assertThat(image.getRun()).isEqualTo(commit.getRun());
        assertThat(image.getImage().getRegistry()).isEqualTo(REGISTRY);
        assertThat(image.getImage().getRepository()).isEqualTo("staging/" + repository);
        assertThat(image.getImage().getTag()).isEqualTo(sha);
        assertThat(image.getImage().getDigest()).isEqualTo("sha256:" + sha256(repository + "@" + sha));
        assertThat(image.getKind()).isEqualTo(ArtifactKind.CONTAINER);
        assertThat(image.getBuildDurationMillis()).isZero();
        assertThat(image.getCacheHit()).isFalse();
        assertThat(image.getTestSuites()).isEmpty();
        assertThat(eventsOf(Topics.FAILURES, repository)).isEmpty();
    }

    @Test
    void aDryRunStreamsItsOneLineToTheLogsTopicKeyedByRunId() {
        String repository = unique("dry/logged");
        CommitReceived commit = send(repository, "c".repeat(40), "refs/heads/main");
        String runId = commit.getRun().getRunId();

        List<LogChunk> chunks = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            chunks.clear();
            eventsOf(Topics.LOGS, runId).forEach(e -> chunks.add((LogChunk) e));
            assertThat(chunks).isNotEmpty();
        });

        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.getRunId()).isEqualTo(runId);
            assertThat(chunk.getAttempt()).isEqualTo(1);
            assertThat(chunk.getRepository()).isEqualTo(repository);
            assertThat(chunk.getStage()).isEqualTo(Stage.BUILD);
            assertThat(chunk.getSequence()).isZero();
            assertThat(chunk.getLast()).isTrue();
            assertThat(chunk.getTruncated()).isFalse();
            assertThat(chunk.getText()).startsWith("Slipway dry run: " + repository + "@ccccccc was not built");
        });
    }
}

package io.slipway.tester.support;

import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.TopicTail;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactKind;
import io.slipway.events.Commit;
import io.slipway.events.DeployIntent;
import io.slipway.events.ImageBuilt;
import io.slipway.events.ImageReference;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.SmokeCheck;
import io.slipway.events.SuiteFile;
import io.slipway.events.TestReport;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.serde.AvroEventSerializer;
import io.slipway.tester.domain.ImageRef;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * Drives a tester through real Kafka: its configuration against the shared broker, registry and staged images,
 * {@code ImageBuilt} events as the builder emits them, and the outcomes of a run read back from the output topics.
 */
public final class TesterRuns {

    private final SharedDevStack stack = SharedDevStack.get();
    private final AvroEventDeserializer deserializer;

    public TesterRuns() {
        deserializer = new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
    }

    /** A tester's configuration: its own instance id and reports directory, quick retries and group hand-over. */
    public Map<String, Object> config(String instance, Path reports, int port) {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("micronaut.server.port", String.valueOf(port));
        config.put("slipway.tester.instance-id", instance);
        config.put("slipway.tester.staging-registry", StagedImages.get().registry().host());
        config.put("slipway.tester.registry-username", StagedImages.USER);
        config.put("slipway.tester.registry-password", StagedImages.PASSWORD);
        config.put("slipway.tester.reports-dir", reports.toString());
        config.put("slipway.tester.public-url", "http://127.0.0.1:" + port);
        config.put("slipway.tester.dashboard-url", DASHBOARD_URL);
        config.put("slipway.tester.memory", "256m");
        config.put("slipway.kafka.retry-budget", "500ms");
        config.put("slipway.kafka.retry-initial-backoff", "100ms");
        config.put("kafka.consumers.tester-service.session.timeout.ms", "6000");
        config.put("kafka.consumers.tester-service.heartbeat.interval.ms", "1000");
        return config;
    }

    /** The dashboard the testers of these tests link reports to. */
    public static final String DASHBOARD_URL = "http://dashboard.test:8087";

    /** The repository's deploy intent every published run carries. */
    public static final DeployIntent DEPLOY_INTENT = DeployIntent.newBuilder().setEnvironments(List.of("staging"))
            .setSmoke(List.of(SmokeCheck.newBuilder().setPath("/health").setContains("ok").build())).build();

    /** Publishes an {@code ImageBuilt} of a fresh run for {@code image} carrying the named test suites. */
    public ImageBuilt publish(ImageRef image, String... suites) {
        String repository = "test/app-" + UUID.randomUUID().toString().substring(0, 8);
        String sha = UUID.randomUUID().toString().replace("-", "") + "00000000";
        Instant now = Instant.now();
        RunContext run = RunContext.newBuilder().setRunId(RunIds.runId(repository, sha, "refs/heads/main")).setAttempt(1)
                .setRepository(Repository.newBuilder().setFullName(repository)
                        .setCloneUrl("https://git.example.org/" + repository + ".git").build())
                .setCommit(Commit.newBuilder().setSha(sha).setRef("refs/heads/main").setMessage("test me")
                        .setAuthorName("Ada").setTimestamp(now).build())
                .setTriggeredAt(now).build();
        Map<String, String> files = new LinkedHashMap<>();
        for (String suite : suites) {
            files.put("tests/" + suite, StagedImages.suite(suite));
        }
        return publish(run, image, files);
    }

    /**
     * Publishes the {@code ImageBuilt} of {@code run} for {@code image} carrying suite files (path to content) and
     * {@link #DEPLOY_INTENT}, which a {@code TestsPassed} must carry on unchanged.
     */
    public ImageBuilt publish(RunContext run, ImageRef image, Map<String, String> suites) {
        Instant now = Instant.now();
        List<SuiteFile> files = new ArrayList<>();
        suites.forEach((path, content) -> files.add(SuiteFile.newBuilder().setPath(path).setContent(content).build()));
        ImageBuilt event = ImageBuilt.newBuilder().setEventId(RunIds.newEventId()).setRun(run)
                .setImage(ImageReference.newBuilder().setRegistry(image.registry()).setRepository(image.repository())
                        .setTag("main").setDigest(image.digest()).build())
                .setKind(ArtifactKind.CONTAINER).setBuildDurationMillis(1000).setCacheHit(false).setEmittedAt(now)
                .setTestSuites(files).setDeploy(DEPLOY_INTENT).build();
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (EventPublisher publisher = new EventPublisher(new KafkaProducer<>(producer, new StringSerializer(),
                new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl()), true)), Duration.ofSeconds(30))) {
            publisher.publish(event);
        }
        return event;
    }

    /** Waits (up to {@code within}) for an outcome of the run and returns every outcome it has, in topic order. */
    public List<SpecificRecord> outcomesOf(ImageBuilt event, Duration within) {
        String runId = event.getRun().getRunId();
        List<SpecificRecord> outcomes = new ArrayList<>();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-outcomes-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TESTS, Topics.FAILURES));
            await().atMost(within).until(() -> {
                collect(consumer, runId, outcomes, Duration.ofMillis(200));
                return !outcomes.isEmpty();
            });
            collect(consumer, runId, outcomes, Duration.ofSeconds(1));
        }
        return outcomes;
    }

    /**
     * Every {@code TestReport} of the run on {@code slipway.reports} (keyed by run id), read to the topic's end: the
     * tester publishes a report before its outcome, so after {@link #outcomesOf} it is there.
     */
    public List<TestReport> reportsOf(ImageBuilt event) {
        String runId = event.getRun().getRunId();
        List<TestReport> reports = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicTail.readToEnd(consumer, Topics.REPORTS, Duration.ofSeconds(30), record -> {
                if (runId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    reports.add((TestReport) deserializer.deserialize(record.topic(), record.headers(), record.value()));
                }
            });
        }
        return reports;
    }

    private void collect(KafkaConsumer<byte[], byte[]> consumer, String runId, List<SpecificRecord> outcomes,
                         Duration poll) {
        consumer.poll(poll).forEach(record -> {
            SpecificRecord decoded = deserializer.deserialize(record.topic(), record.headers(), record.value());
            if (((RunContext) decoded.get(decoded.getSchema().getField("run").pos())).getRunId().equals(runId)) {
                outcomes.add(decoded);
            }
        });
    }
}

package io.slipway.e2e;

import io.slipway.common.testing.TopicReader;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Stage;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.RegistrySettings;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka under {@code ./slipway up} as an attacker who reached the broker meets it: each stage logs in as its own
 * principal and may write only its own topics ({@code docs/security.md}, "Kafka"). The forged event is a real
 * {@code TestsPassed} for an image whose tests failed, the one event that would get it promoted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAclEndToEndTest {

    private static final String GREETING = "Hello from a Slipway-built image";

    private SlipwayStack slipway;
    private PipelineEvents events;

    @BeforeAll
    void startSlipway() {
        slipway = SlipwayStack.start();
        events = slipway.events();
    }

    @AfterAll
    void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void aTestsPassedForgedWithTheBuildersCredentialsIsRefusedByTheBrokerAndNothingIsPromoted() throws Exception {
        SampleRepository app = slipway.repository("e2e/acl-forged", false);
        SampleRepository.Push good = app.push();
        String goodDigest = events.awaitPublished(good.runId()).getDigest();
        app.commit("Change the greeting (breaks tests/structure.yaml)", "www/index.html", page -> page.replace(GREETING, "Goodbye"));
        SampleRepository.Push broken = app.push();
        assertThat(events.awaitFailed(broken.runId()).getStage()).isEqualTo(Stage.TEST);
        ImageBuilt untested = events.ofRun(broken.runId(), ImageBuilt.class).get(0);

        TestsPassed forged = TestsPassed.newBuilder().setEventId(UUID.randomUUID().toString()).setRun(untested.getRun())
                .setImage(untested.getImage()).setKind(untested.getKind()).setSuites(List.of())
                .setEmittedAt(Instant.now()).build();
        // The builder's own registry login (services share one) encodes the event; only the broker stands in the way.
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(slipway.registryUrl())
                .withBasicAuth(slipway.credential("registry.userinfo")));
        try (KafkaProducer<String, SpecificRecord> builder = new KafkaProducer<>(producerConfig("builder"),
                new StringSerializer(), new AvroEventSerializer(registry, false))) {
            assertThatThrownBy(() -> builder.send(new ProducerRecord<>(Topics.TESTS, app.name(), forged))
                    .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }

        assertThat(events.all()).filteredOn(TestsPassed.class::isInstance).map(TestsPassed.class::cast)
                .as("TestsPassed on %s", Topics.TESTS)
                .noneMatch(e -> e.getRun().getRunId().equals(broken.runId()));
        assertThat(events.ofRun(broken.runId())).noneMatch(e -> e instanceof ArtifactPublished);
        assertThat(slipway.releaseTags(app.name())).containsExactlyInAnyOrder(good.sha(), "main", "latest");
        assertThat(slipway.releaseImage(app.name(), "main").path("Digest").asText()).isEqualTo(goodDigest);
    }

    @Test
    void aClientThatDoesNotLogInIsRefused() {
        Map<String, Object> anonymous = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, slipway.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        Map<String, Object> producer = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                slipway.bootstrapServers(), ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000));
        try (KafkaProducer<byte[], byte[]> anonymousProducer = new KafkaProducer<>(producer, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            assertThatThrownBy(() -> anonymousProducer.send(new ProducerRecord<>(Topics.TESTS,
                    "e2e/anonymous".getBytes(StandardCharsets.UTF_8), new byte[]{0})).get(30, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, org.apache.kafka.common.errors.TimeoutException.class);
        }
    }

    @Test
    void opsReadsTheFailuresAndSlipwayRunsLogsInAsOpsByItself() {
        SampleRepository app = slipway.repository("e2e/acl-ops", false);
        app.commit("Add a step that fails", "Dockerfile", dockerfile -> dockerfile + "RUN [\"/bin/false\"]\n");
        SampleRepository.Push push = app.push();
        BuildFailed failed = events.awaitFailed(push.runId());

        List<ConsumerRecord<byte[], byte[]>> failures = TopicReader.readAtLeast(
                slipway.kafkaClientConfig(SlipwayStack.OPS), Topics.FAILURES, 1);
        assertThat(failures).anySatisfy(record ->
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(app.name()));
        assertThat(failed.getReasonCode()).isEqualTo("BUILD_ERROR");
        assertThat(slipway.command("runs")).contains(push.runId());
    }

    private Map<String, Object> producerConfig(String principal) {
        Map<String, Object> config = new HashMap<>(slipway.kafkaClientConfig(principal));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }
}

package io.slipway.tools;

import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.EnvironmentState;
import io.slipway.events.ImageBuilt;
import io.slipway.events.RunContext;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.PoisonPayloads;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.SampleEvents;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@code ./slipway runs} and {@code watch} reach Kafka and the registry with the services' settings: environment
 * variables, overridden by a client properties file ({@code --command-config}), here against the real broker.
 */
class RunsCommandTest {

    /** Nothing listens there: a command that used these would fail. */
    private static final Map<String, String> WRONG_ADDRESSES = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9",
            "SCHEMA_REGISTRY_URL", "http://127.0.0.1:9");

    /** A pull request's run, which ends with its TestsPassed. */
    private static final RunContext REQUEST_RUN = RunsViewTest.requestRun("pull", 12, "main");

    /** A run of main that was published and deployed to staging. */
    private static final RunContext DEPLOYED_RUN = deployedRun();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void publishARun() throws Exception {
        SharedDevStack stack = SharedDevStack.get();
        Topics.pipelineTopics().forEach(topic -> stack.createTopic(topic, 1));
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl())))) {
            for (SpecificRecord event : List.of(SampleEvents.commitReceived(), SampleEvents.imageBuilt(),
                    SampleEvents.testsPassed(), SampleEvents.artifactPublished(),
                    CommitReceived.newBuilder(SampleEvents.commitReceived()).setRun(REQUEST_RUN).build(),
                    ImageBuilt.newBuilder(SampleEvents.imageBuilt()).setRun(REQUEST_RUN).build(),
                    TestsPassed.newBuilder(SampleEvents.testsPassed()).setRun(REQUEST_RUN).build())) {
                producer.send(new ProducerRecord<>(Topics.topicOf(event.getClass()), SampleEvents.REPOSITORY, event))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        publishTheDeployedRunAndTheEnvironments(stack);
        // A poison record among them: the services dead-letter it; the view shows the runs around it.
        int schemaId = new SchemaRegistryClient(stack.registryUrl()).latest(Topics.valueSubject(Topics.IMAGES)).id();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.IMAGES, PoisonPayloads.hugeString(schemaId)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void listsRunsFromTheClusterAndRegistryNamedInTheCommandConfigFile() throws IOException {
        SharedDevStack stack = SharedDevStack.get();
        Path config = file("bootstrap.servers=" + stack.bootstrapServers(), "schema.registry.url=" + stack.registryUrl());

        int status = run(WRONG_ADDRESSES, "runs", "--command-config", config.toString());

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out)).contains(SampleEvents.run().getRunId()).contains("PUBLISHED");
        assertThat(text(out).lines().filter(line -> line.startsWith(REQUEST_RUN.getRunId())))
                .singleElement().satisfies(line -> assertThat(line).contains("#12 → main", "TEST", "PASSED"));
    }

    @Test
    void watchesARequestsRunToItsPassedTestsWhereItEnds() {
        SharedDevStack stack = SharedDevStack.get();

        int status = run(Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl()), "watch", REQUEST_RUN.getRunId());

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out)).contains("Run " + REQUEST_RUN.getRunId() + " of " + SampleEvents.REPOSITORY
                + " #12 → main").contains("TEST").contains("PASSED").doesNotContain("DELIVER");
    }

    @Test
    void watchesARunToItsPublicationWithTheEnvironmentsSettings() {
        SharedDevStack stack = SharedDevStack.get();

        int status = run(Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl()), "watch", SampleEvents.run().getRunId().substring(0, 8));

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out)).contains("DELIVER").contains("PUBLISHED");
    }

    @Test
    void listsADeployedRunWithTheEnvironmentItReached() {
        int status = run(devStackSettings(), "runs");

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out).lines().filter(line -> line.startsWith(DEPLOYED_RUN.getRunId())))
                .singleElement().satisfies(line -> assertThat(line).contains("DEPLOY ").endsWith("DEPLOYED staging"));
    }

    @Test
    void watchesARunUntilItIsDeployedToAnEnvironment() {
        int status = run(devStackSettings(), "watch", DEPLOYED_RUN.getRunId(), "--until-deployed", "staging");

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out)).contains("DEPLOY   DEPLOYED   deployed to staging: 127.0.0.1:5000/release/hello-service@"
                + SampleEvents.DIGEST + " → http://127.0.0.1:18080/");
    }

    @Test
    void aWatchUntilAnEnvironmentTheRunDoesNotReachEndsAfterItsTimeoutAndFails() {
        int status = run(devStackSettings(), "watch", DEPLOYED_RUN.getRunId(), "--until-deployed", "production",
                "--timeout", "2");

        assertThat(status).isEqualTo(1);
        assertThat(text(out)).contains("Not deployed to production after PT2S.");
    }

    @Test
    void listsWhatRunsInEachEnvironmentAndThePromotionThatWaits() {
        int status = SlipwayTools.run(List.of("envs"), devStackSettings(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(text(err)).isZero();
        List<String> lines = text(out).lines().toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("staging ")
                .contains(SampleEvents.REPOSITORY, "sha256:b5b2b2c507a0", DEPLOYED_RUN.getCommit().getSha()
                        .substring(0, 12) + " main", "http://127.0.0.1:18080/"));
        assertThat(lines).contains("production ← run " + DEPLOYED_RUN.getRunId() + " (sha256:b5b2b2c507a0, "
                + DEPLOYED_RUN.getCommit().getSha().substring(0, 12) + " main) from staging waits for approval: "
                + "./slipway approve " + DEPLOYED_RUN.getRunId() + " production");
        assertThat(lines).noneMatch(line -> line.startsWith("review "))
                .contains("(1 record(s) of " + Topics.DEPLOYER_STATE + " could not be read and were skipped)");
    }

    @Test
    void theFileWinsOverTheEnvironmentAndSecuritySettingsReachTheKafkaClient() throws IOException {
        Path config = file("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "schema.registry.url=https://registry.example:8081", "basic.auth.user.info=runs:secret");

        RunsCommand.Connection connection = RunsCommand.Connection.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9093", "KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12", "KAFKA_HOME", "/opt/kafka",
                "SCHEMA_REGISTRY_URL", "http://other:8081"), config);

        assertThat(connection.kafka()).containsOnly(entry("bootstrap.servers", "broker-1:9093"),
                entry("security.protocol", "SASL_SSL"), entry("sasl.mechanism", "SCRAM-SHA-512"),
                entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                entry("ssl.truststore.location", "/etc/kafka/truststore.p12"));
        assertThat(connection.registry().urls()).extracting(Object::toString)
                .containsExactly("https://registry.example:8081");
        assertThat(connection.registry().authorization()).isPresent();
    }

    @Test
    void aMissingCommandConfigFileIsNamed() {
        Path missing = dir.resolve("client.properties");

        int status = run(WRONG_ADDRESSES, "runs", "--command-config", missing.toString());

        assertThat(status).isEqualTo(2);
        assertThat(text(err)).contains("cannot read the client properties file " + missing);
    }

    @Test
    void aMalformedRegistryAddressIsNamed() {
        int status = run(Map.of("SCHEMA_REGISTRY_URL", "ftp://registry.example"), "runs");

        assertThat(status).isEqualTo(2);
        assertThat(text(err)).contains("schema registry URL must be http(s)://");
    }

    @Test
    void aWrongCommandLineGetsTheUsage() {
        assertThat(run(WRONG_ADDRESSES, "runs", "--command-config")).isEqualTo(2);
        assertThat(run(WRONG_ADDRESSES, "runs", "many")).isEqualTo(2);
        assertThat(run(WRONG_ADDRESSES, "watch")).isEqualTo(2);
        assertThat(text(err)).contains(RunsCommand.USAGE);
    }

    /** Publishes {@link #DEPLOYED_RUN} to staging and the deployer's state: staging, production waiting, a tombstone. */
    private static void publishTheDeployedRunAndTheEnvironments(SharedDevStack stack) throws Exception {
        stack.createTopic(Topics.DEPLOYER_STATE, 1);
        EnvironmentState staging = EnvironmentState.newBuilder(EnvironmentsViewTest.staging())
                .setCurrent(EnvironmentsViewTest.record(DEPLOYED_RUN)).build();
        EnvironmentState production = EnvironmentsViewTest.production(true, null, EnvironmentsViewTest.DEPLOYED_AT);
        production.getPending().setArtifact(EnvironmentsViewTest.record(DEPLOYED_RUN));
        EnvironmentState review = EnvironmentState.newBuilder(staging).setEnvironment("review").build();
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl())))) {
            for (SpecificRecord event : List.of(
                    ArtifactPublished.newBuilder(SampleEvents.artifactPublished()).setRun(DEPLOYED_RUN).build(),
                    Deployed.newBuilder(SampleEvents.deployed()).setRun(DEPLOYED_RUN)
                            .setUrl("http://127.0.0.1:18080/").build())) {
                producer.send(new ProducerRecord<>(Topics.topicOf(event.getClass()), SampleEvents.REPOSITORY, event))
                        .get(30, TimeUnit.SECONDS);
            }
            for (EnvironmentState state : List.of(staging, production, review)) {
                producer.send(new ProducerRecord<>(Topics.DEPLOYER_STATE,
                        state.getEnvironment() + "|" + state.getRepository(), state)).get(30, TimeUnit.SECONDS);
            }
            producer.send(new ProducerRecord<>(Topics.DEPLOYER_STATE, "review|" + SampleEvents.REPOSITORY, null))
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DEPLOYER_STATE, "broken|" + SampleEvents.REPOSITORY,
                    "not avro".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }

    private static RunContext deployedRun() {
        String sha = "7d3c2f1e0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";
        RunContext sample = SampleEvents.run();
        return RunContext.newBuilder(sample).setRunId(RunIds.runId(SampleEvents.REPOSITORY, sha, "refs/heads/main"))
                .setCommit(Commit.newBuilder(sample.getCommit()).setSha(sha).build()).build();
    }

    private static Map<String, String> devStackSettings() {
        SharedDevStack stack = SharedDevStack.get();
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(), "SCHEMA_REGISTRY_URL", stack.registryUrl());
    }

    private int run(Map<String, String> environment, String... args) {
        return RunsCommand.run(List.of(args), environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path file(String... lines) throws IOException {
        return Files.write(dir.resolve("client.properties"), List.of(lines));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}

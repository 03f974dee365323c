package io.slipway.notifier.messaging;

import io.slipway.common.kafka.EventPublisher;
import io.slipway.devstack.DevStack;
import io.slipway.devstack.KafkaCredentials;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.events.BuildFailed;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.PoisonPayloads;
import io.slipway.schemas.SampleEvents;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.RegistrySettings;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Python block of the ops guide ({@code docs/operations.md}), run as ops would run it (Debian's
 * python3-confluent-kafka and python3-avro) against a dev stack secured as {@code ./slipway up} runs it (SCRAM logins,
 * the pipeline's ACLs, registry writes with credentials): logged in as {@code ops} from the client properties file the
 * stack made, it prints each BuildFailed on {@code slipway.failures} decoded through the schema registry, and skips a
 * poison record among them instead of dying on it.
 */
class OpsFailureFeedTest {

    private static final String PYTHON = "/usr/bin/python3";

    private static String guidePython() throws IOException {
        Path here = Path.of(System.getProperty("user.dir"));
        Path root = here.endsWith("notifier-service") ? here.getParent() : here;
        String text = Files.readString(root.resolve("docs/operations.md"));
        int start = text.indexOf("```python\n") + "```python\n".length();
        return text.substring(start, text.indexOf("\n```", start) + 1);
    }

    @Test
    void theOpsGuidesPythonFeedLogsInAsOpsAndPrintsEachFailureDecodedThroughTheRegistry(@TempDir Path dir)
            throws Exception {
        assertThat(Path.of(PYTHON)).as("Debian's python3 with python3-confluent-kafka and python3-avro").isExecutable();
        String registryLogin = "slipway:" + UUID.randomUUID();
        KafkaCredentials credentials = KafkaCredentials.loadOrCreate(dir.resolve("credentials"));
        try (DevStack stack = DevStack.start(dir.resolve("devstack"), LoopbackPorts.free(), LoopbackPorts.free(),
                0, registryLogin, credentials, 1)) {
            Path script = Files.createTempFile("ops-feed", ".py");
            Files.writeString(script, guidePython());
            String repository = "ops-feed/app-" + UUID.randomUUID().toString().substring(0, 8);
            RunContext run = RunContext.newBuilder(SampleEvents.run()).setRepository(Repository.newBuilder(
                    SampleEvents.run().getRepository()).setFullName(repository).build()).build();
            BuildFailed failure = BuildFailed.newBuilder(SampleEvents.buildFailed()).setRun(run).build();
            BuildFailed after = BuildFailed.newBuilder(failure).setMessage("after the poison").build();
            SchemaRegistryClient registry = new SchemaRegistryClient(
                    RegistrySettings.of(stack.registryUrl()).withBasicAuth(registryLogin));
            // The builder may write slipway.failures; what it writes there is what ops read.
            try (EventPublisher events = new EventPublisher(new KafkaProducer<>(stack.clientSettings("builder"),
                    new StringSerializer(), new AvroEventSerializer(registry)), Duration.ofSeconds(30));
                 KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(stack.clientSettings("builder"),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                events.publish(failure);
                int schemaId = registry.latest(Topics.valueSubject(Topics.FAILURES)).id();
                raw.send(new ProducerRecord<>(Topics.FAILURES, repository.getBytes(StandardCharsets.UTF_8),
                        PoisonPayloads.hugeString(schemaId))).get(30, TimeUnit.SECONDS);
                events.publish(after);
            }

            runFeed(script, failure, repository, Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", stack.registryUrl(), "OPS_GROUP_ID", "ops-" + UUID.randomUUID(),
                    "KAFKA_CLIENT_PROPERTIES", KafkaCredentials.fileOf(credentials.directory(), KafkaCredentials.OPS)
                            .toString()));
        }
    }

    private static void runFeed(Path script, BuildFailed failure, String repository, Map<String, String> environment)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(PYTHON, script.toString()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process feed = builder.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(feed.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(lines::add));
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(lines).as("feed output")
                    .contains(repository + " refs/heads/main 6dcb09b BUILD BUILD_ERROR: " + failure.getMessage(),
                            repository + " refs/heads/main 6dcb09b BUILD BUILD_ERROR: after the poison")
                    .anyMatch(line -> line.startsWith("skipping p0@") && line.contains("not a BuildFailed")));
        } finally {
            feed.destroy();
            feed.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(script);
        }
    }
}

package io.slipway.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.devstack.support.PythonScripts;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.RunContext;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * The pipeline topics as two independent readers see them: Slipway's own {@link AvroEventDeserializer} (one
 * consumer assigned to every partition from the beginning, no group, read on demand), and Confluent's Python client
 * with Apache Avro's Python reader ({@code devstack/src/test/python/decode_event.py}), which shares no code with
 * the services. Slipway's reader is {@code read_committed}, as every stage reads, unless the client settings given
 * say otherwise: a record of an aborted transaction is no event of the pipeline.
 */
final class PipelineEvents implements AutoCloseable {

    /** The longest a run may take from push to outcome. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrap;
    private final Path clientProperties;
    private final String registryUrl;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroEventDeserializer deserializer;
    private final List<SpecificRecord> events = new ArrayList<>();
    private final Map<String, Long> recordsRead = new HashMap<>();

    /**
     * Reads with {@code kafkaClient} (bootstrap servers and security settings); the Python reader logs in with the same
     * principal's {@code clientProperties} file.
     */
    PipelineEvents(Map<String, Object> kafkaClient, Path clientProperties, String registryUrl) {
        this.bootstrap = String.valueOf(kafkaClient.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.clientProperties = clientProperties;
        this.registryUrl = registryUrl;
        this.deserializer = new AvroEventDeserializer(new SchemaRegistryClient(registryUrl));
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = Topics.pipelineTopics().stream()
                .flatMap(topic -> partitions(topic).stream()).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every event of a run so far, in the order read (topic by topic, one repository's events in offset order). */
    List<SpecificRecord> ofRun(String runId) {
        return all().stream().filter(e -> run(e).getRunId().equals(runId)).toList();
    }

    /** Every event of the pipeline topics so far, read to the end of each partition. */
    synchronized List<SpecificRecord> all() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                recordsRead.merge(r.topic(), 1L, Long::sum);
                try {
                    events.add(deserializer.deserialize(r.topic(), r.headers(), r.value()));
                } catch (SerializationException poison) {
                    // A record that is no Slipway event (a test puts some there on purpose) is the services' to
                    // dead-letter, not this reader's to choke on.
                }
            });
        }
        return List.copyOf(events);
    }

    <T extends SpecificRecord> List<T> ofRun(String runId, Class<T> type) {
        return ofRun(runId).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits for the run's outcome: its {@code ArtifactPublished} or {@code BuildFailed}. */
    SpecificRecord awaitOutcome(String runId) {
        return await("outcome of run " + runId).atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> ofRun(runId).stream()
                        .filter(e -> e instanceof ArtifactPublished || e instanceof BuildFailed).findFirst(),
                        Optional::isPresent).orElseThrow();
    }

    /** The run's {@code ArtifactPublished}; fails with the stage's reason when the run failed instead. */
    ArtifactPublished awaitPublished(String runId) {
        SpecificRecord outcome = awaitOutcome(runId);
        if (outcome instanceof ArtifactPublished published) {
            return published;
        }
        throw new AssertionError("run " + runId + " was expected to be published but failed: " + outcome);
    }

    /** The run's {@code BuildFailed}; fails when the run was published instead. */
    BuildFailed awaitFailed(String runId) {
        SpecificRecord outcome = awaitOutcome(runId);
        if (outcome instanceof BuildFailed failed) {
            return failed;
        }
        throw new AssertionError("run " + runId + " was expected to fail but was published: " + outcome);
    }

    /**
     * The run's records on {@code topic} as decode_event.py prints them ({@code key}, {@code schema_id},
     * {@code record}), from a read of every record the topic holds now.
     */
    List<JsonNode> decodedByPython(String topic, String runId) {
        PythonScripts.Result result = PythonScripts.runScript("decode_event.py", bootstrap, registryUrl, topic,
                String.valueOf(recordCount(topic)), clientProperties.toString());
        if (result.exitCode() != 0) {
            throw new AssertionError("decode_event.py " + topic + " failed: " + result.stderr());
        }
        return result.stdout().stream().map(PipelineEvents::json)
                .filter(line -> line.path("record").path("run").path("runId").asText().equals(runId)).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }

    /**
     * The committed records {@code topic} holds now, as a read_committed reader counts them: not its end offsets,
     * since each committed or aborted transaction also takes an offset for its marker, and aborted records are none.
     */
    private synchronized long recordCount(String topic) {
        all();
        return recordsRead.getOrDefault(topic, 0L);
    }

    private List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /** The run an event belongs to (every pipeline event has its {@code run}). */
    static RunContext run(SpecificRecord event) {
        return (RunContext) event.get(event.getSchema().getField("run").pos());
    }

    /** A line of JSON (decode_event.py prints one a record, the notifier queues one a delivery) as a tree. */
    static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

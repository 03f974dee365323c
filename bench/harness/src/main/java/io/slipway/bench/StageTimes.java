package io.slipway.bench;

import io.slipway.common.kafka.KafkaClients;
import io.slipway.events.RunContext;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each event of a run was produced (its Kafka record timestamp), read from the pipeline topics by a consumer of
 * its own (no group, from the end of each partition when started), so the benchmark can split a run's time by stage.
 */
final class StageTimes implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroEventDeserializer deserializer;
    private final Map<String, Map<String, Long>> produced = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    /** {@code kafka}: the client settings (bootstrap servers and, on a secured cluster, a login that may read). */
    StageTimes(Map<String, Object> kafka, String registryUrl) {
        consumer = KafkaClients.of(kafka).consumer("slipway-bench-stage-times", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deserializer = new AvroEventDeserializer(new SchemaRegistryClient(registryUrl));
        List<TopicPartition> partitions = Topics.pipelineTopics().stream()
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        reader = new Thread(this::read, "stage-times");
        reader.setDaemon(true);
        reader.start();
    }

    /** The record timestamp of the run's event of type {@code eventType} (simple class name), if read yet. */
    Optional<Long> producedAt(String runId, String eventType) {
        return Optional.ofNullable(produced.getOrDefault(runId, Map.of()).get(eventType));
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    SpecificRecord event;
                    try {
                        event = deserializer.deserialize(record.topic(), record.headers(), record.value());
                    } catch (RuntimeException notAnEvent) {
                        continue;
                    }
                    RunContext run = (RunContext) event.get(event.getSchema().getField("run").pos());
                    produced.computeIfAbsent(run.getRunId(), r -> new ConcurrentHashMap<>())
                            .putIfAbsent(event.getClass().getSimpleName(), record.timestamp());
                }
            }
        } catch (WakeupException stopping) {
            // close() wakes the reader up.
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(10_000);
    }
}

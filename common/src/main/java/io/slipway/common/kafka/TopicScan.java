package io.slipway.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads every partition of a topic from the beginning to the end it had when the scan started. */
public final class TopicScan {

    private TopicScan() {
    }

    /**
     * Hands every record to {@code sink}, in offset order per partition.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the end is not reached within {@code timeout}
     */
    public static <K, V> void readToEnd(KafkaConsumer<K, V> consumer, String topic, Duration timeout,
                                        Consumer<ConsumerRecord<K, V>> sink) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Instant deadline = Instant.now().plus(timeout);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (Instant.now().isAfter(deadline)) {
                throw new org.apache.kafka.common.errors.TimeoutException("could not read " + topic
                        + " to its end within " + timeout);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(sink);
        }
    }
}

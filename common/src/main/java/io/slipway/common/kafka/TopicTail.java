package io.slipway.common.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads every partition of some topics from the beginning with a consumer of no group (nothing is committed):
 * {@link #catchUp} reads on from where the last read stopped to the end the topics have when it is called, and
 * {@link #poll} then follows them. Like the consumer it drives, it is for one thread at a time.
 */
public final class TopicTail<K, V> {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<K, V> consumer;
    private final Consumer<?, ?> ends;
    private final List<String> topics;
    private List<TopicPartition> partitions;

    public TopicTail(Consumer<K, V> consumer, Collection<String> topics) {
        this(consumer, consumer, topics);
    }

    /**
     * A tail that asks {@code ends}, a consumer that never fetches, for the topics' ends: a follower's own consumer
     * has a fetch held by the broker between records (up to its fetch wait), and the broker answers a connection's
     * requests in order, so asking it would wait that fetch out first.
     */
    public TopicTail(Consumer<K, V> consumer, Consumer<?, ?> ends, Collection<String> topics) {
        this.consumer = consumer;
        this.ends = ends;
        this.topics = List.copyOf(topics);
    }

    /**
     * Hands every record of {@code topic} to {@code sink}, from the beginning to the end it had when the read started,
     * in offset order per partition.
     *
     * @throws TimeoutException when the end is not reached within {@code timeout}
     */
    public static <K, V> void readToEnd(Consumer<K, V> consumer, String topic, Duration timeout,
                                        java.util.function.Consumer<ConsumerRecord<K, V>> sink) {
        new TopicTail<>(consumer, List.of(topic)).catchUp(timeout, sink);
    }

    /**
     * Hands every record up to the current end of each partition to {@code sink}, in offset order per partition;
     * the first call starts at the beginning and waits for the topics to exist.
     *
     * @throws TimeoutException when a topic does not exist or the end is not reached within {@code timeout}
     */
    public void catchUp(Duration timeout, java.util.function.Consumer<ConsumerRecord<K, V>> sink) {
        Instant deadline = Instant.now().plus(timeout);
        if (partitions == null) {
            partitions = assignFromBeginning(deadline);
        }
        Map<TopicPartition, Long> end = ends.endOffsets(partitions, left(deadline));
        while (!reached(end)) {
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException("could not read " + String.join(", ", topics) + " to the end within "
                        + timeout);
            }
            consumer.poll(POLL).forEach(sink);
        }
    }

    /** Hands the records that arrive within {@code wait} to {@code sink}; follows a {@link #catchUp}. */
    public void poll(Duration wait, java.util.function.Consumer<ConsumerRecord<K, V>> sink) {
        if (partitions == null) {
            throw new IllegalStateException("catch up with " + topics + " before following them");
        }
        consumer.poll(wait).forEach(sink);
    }

    /** Whether every record the topics hold now has been read; follows a {@link #catchUp}. */
    public boolean atEnd(Duration timeout) {
        if (partitions == null) {
            throw new IllegalStateException("catch up with " + topics + " before asking for their end");
        }
        return reached(ends.endOffsets(partitions, timeout));
    }

    private List<TopicPartition> assignFromBeginning(Instant deadline) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = List.of();
            while (infos == null || infos.isEmpty()) {
                if (!Instant.now().isBefore(deadline)) {
                    throw new TimeoutException("topic " + topic + " does not exist or Kafka cannot be reached");
                }
                try {
                    infos = consumer.partitionsFor(topic, left(deadline));
                } catch (TimeoutException e) {
                    // The consumer keeps asking for an unknown topic's metadata until its own time is up.
                    infos = List.of();
                }
            }
            infos.forEach(info -> all.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
        return List.copyOf(all);
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static Duration left(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}

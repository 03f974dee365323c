package io.slipway.builder.messaging;

import io.slipway.builder.domain.BuildRequest;
import io.slipway.builder.domain.SupersedeIndex;
import io.slipway.builder.domain.Supersession;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Looks ahead in {@code slipway.commits}: before a commit is built, reads its partition from just after it to the
 * current end (with its own group-less consumer, incrementally) and asks the {@link SupersedeIndex} whether a newer
 * commit of the same repository and ref waits there. When Kafka cannot be read the commit is simply built.
 */
@Singleton
public class CommitsLookahead implements Supersession {

    private static final Logger LOG = LoggerFactory.getLogger(CommitsLookahead.class);
    private static final Duration READ_LIMIT = Duration.ofSeconds(10);

    private final SupersedeIndex index = new SupersedeIndex();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<SpecificRecord> deserializer;
    private final Set<TopicPartition> assigned = new HashSet<>();

    CommitsLookahead(KafkaClients clients, @Named("slipway-events") Deserializer<SpecificRecord> deserializer) {
        this.consumer = clients.consumer("builder-service-lookahead", null, KafkaClients.READS_WHEN_ASKED,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deserializer = deserializer;
    }

    @Override
    public synchronized Optional<String> newerCommit(BuildRequest request) {
        TopicPartition partition = new TopicPartition(Topics.COMMITS, request.lane());
        try {
            if (assigned.add(partition)) {
                consumer.assign(List.copyOf(assigned));
            }
            OptionalLong restart = index.restartFor(request.lane(), request.position());
            if (restart.isPresent()) {
                consumer.seek(partition, restart.getAsLong());
            }
            long end = consumer.endOffsets(List.of(partition), READ_LIMIT).get(partition);
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (consumer.position(partition, READ_LIMIT) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    see(record);
                }
            }
            return index.newerThan(request.lane(), request.position(), request.repository(), request.ref());
        } catch (KafkaException e) {
            LOG.warn("Could not look ahead in {} ({}); building {} without the supersede check", partition, e.toString(),
                    request.runId());
            index.forget(request.lane());
            return Optional.empty();
        }
    }

    private void see(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (deserializer.deserialize(record.topic(), record.headers(), record.value()) instanceof CommitReceived commit) {
                index.seen(record.partition(), record.offset(), commit.getRun().getRepository().getFullName(),
                        commit.getRun().getCommit().getRef(), commit.getRun().getCommit().getSha());
            }
        } catch (RuntimeException e) {
            LOG.debug("Skipping undecodable record {}-{}@{} in the look-ahead", record.topic(), record.partition(), record.offset());
        }
    }

    @PreDestroy
    synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}

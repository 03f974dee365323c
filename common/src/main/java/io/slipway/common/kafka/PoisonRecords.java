package io.slipway.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stage worker's count of the transactions each record doomed with a fault of its own (a send the broker or producer
 * can never accept: too large, not serializable, an invalid record), so that a record which breaks every transaction
 * it is in is dead-lettered after {@link #ABORTS_BEFORE_DEAD_LETTER} aborts instead of blocking its partition. Faults
 * that are not the record's (a timeout, a disconnect, any retriable fault, a fenced producer) are not counted.
 */
final class PoisonRecords {

    /** Consecutive aborts one record may cause before its next attempt dead-letters it instead of processing it. */
    static final int ABORTS_BEFORE_DEAD_LETTER = 3;

    /** The record of a partition that doomed its last {@code aborts} transactions, and the latest such fault. */
    private record Suspect(long offset, int aborts, Throwable fault) {
    }

    private final Map<TopicPartition, Suspect> suspects = new HashMap<>();

    /** The fault to dead-letter {@code record} with, when it doomed its last {@link #ABORTS_BEFORE_DEAD_LETTER} transactions. */
    Optional<Throwable> condemned(ConsumerRecord<?, ?> record) {
        Suspect suspect = suspects.get(partition(record));
        if (suspect == null || suspect.offset() != record.offset() || suspect.aborts() < ABORTS_BEFORE_DEAD_LETTER) {
            return Optional.empty();
        }
        return Optional.of(suspect.fault());
    }

    /** The transaction was aborted; {@code fault} doomed it while {@code record} was being received. */
    void aborted(ConsumerRecord<?, ?> record, Throwable fault) {
        if (!isTheRecordsOwn(fault)) {
            return;
        }
        suspects.merge(partition(record), new Suspect(record.offset(), 1, fault), (before, now) ->
                before.offset() == now.offset() ? new Suspect(now.offset(), before.aborts() + 1, fault) : now);
    }

    /** These records committed (processed or dead-lettered): the suspects among them and before them are cleared. */
    void committed(List<? extends ConsumerRecord<?, ?>> records) {
        records.forEach(record -> suspects.computeIfPresent(partition(record),
                (partition, suspect) -> suspect.offset() <= record.offset() ? null : suspect));
    }

    /** The partitions went to another worker, which counts afresh. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(suspects::remove);
    }

    /** Whether {@code fault}, or what caused it, is one no retry of the same record can avoid. */
    static boolean isTheRecordsOwn(Throwable fault) {
        for (Throwable t = fault; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                    || t instanceof SerializationException || t instanceof InvalidRecordException
                    || t instanceof InvalidTimestampException) {
                return true;
            }
        }
        return false;
    }

    private static TopicPartition partition(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}

package io.slipway.common.kafka;

import io.slipway.common.liveness.Heartbeat;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One worker of a stage: a consumer and a transactional producer of its own, and a loop that gives every record taken
 * its outcome in a Kafka transaction together with the record's offset (consume-transform-produce). The offsets are
 * sent with the consumer's group metadata, so a worker that lost its partitions (a zombie past its poll interval)
 * cannot commit. A transaction that fails for any reason is aborted (the producer is made anew when it was fenced),
 * its partitions are sought back to their committed offsets (so a commit whose outcome was unknown is not redone)
 * and the records taken again, and the listener is told ({@link StageListener#onAborted}). A listener callback that
 * fails, or a poll that fails, is tried again after a pause; only an {@link Error} ends the worker, its records
 * uncommitted; its heartbeat says so.
 * <p>
 * A record that always breaks its transaction does not block its partition: when a send fault that no retry can avoid
 * (too large, not serializable, invalid; see {@link PoisonRecords}) first dooms a transaction while the record is being
 * received, the record is charged with the abort, and after {@value PoisonRecords#ABORTS_BEFORE_DEAD_LETTER}
 * consecutive such aborts its next attempt dead-letters it ({@link DeadLetterReason#PROCESSING}, the fault's message)
 * in the transaction instead of receiving it; the other records of the batch are processed as usual.
 * <p>
 * The records of a poll are handled one after another: {@link Batching#PER_POLL} shares a transaction among them, but
 * commits it and begins a new one before the next record once it has been open longer than {@code commitAfter};
 * {@link Batching#PER_RECORD} commits each record in its own. Either goes back to poll (seeking the rest back) once
 * half the poll interval has passed since the poll, so the group does not take its partitions away; so a poll may
 * bring many records (Kafka's 500) and none waits in the consumer's buffer behind a fetch.
 */
public final class StageWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StageWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final String name;
    private final StageListener listener;
    private final Consumer<byte[], byte[]> consumer;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final DeadLetterPublisher deadLetters;
    private final Heartbeat heartbeat;
    private final PoisonRecords poison = new PoisonRecords();
    private final long yieldAfterNanos;
    private final long commitAfterNanos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Producer<byte[], byte[]> producer;
    private Duration backoff = FIRST_BACKOFF;

    /**
     * @param producers   makes a new transactional producer, always with the same transactional id; the worker
     *                    initialises it
     * @param deadLetters  where a record that broke its last transactions goes
     * @param pollInterval the consumer's {@code max.poll.interval.ms}
     * @param commitAfter  how long a {@link Batching#PER_POLL} transaction may stay open before it is committed and
     *                     the next record of the poll begins a new one
     */
    public StageWorker(String name, StageListener listener, Consumer<byte[], byte[]> consumer,
                       Supplier<Producer<byte[], byte[]>> producers, DeadLetterPublisher deadLetters,
                       Heartbeat heartbeat, Duration pollInterval, Duration commitAfter) {
        this.name = name;
        this.listener = listener;
        this.consumer = consumer;
        this.producers = producers;
        this.deadLetters = deadLetters;
        this.heartbeat = heartbeat;
        this.yieldAfterNanos = pollInterval.toNanos() / 2;
        this.commitAfterNanos = commitAfter.toNanos();
    }

    /** The worker's name, as its thread and heartbeat show it. */
    public String name() {
        return name;
    }

    /** Runs the loop until {@link #stop()}; closes the consumer and producer when it ends. */
    @Override
    public void run() {
        try {
            consumer.subscribe(listener.subscription().topics(), new Rebalance());
            while (!isStopping()) {
                if (producer == null && !initProducer()) {
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL_TIMEOUT);
                } catch (WakeupException e) {
                    continue;
                } catch (KafkaException e) {
                    LOG.warn("{} could not poll, trying again: {}", name, e.toString());
                    heartbeat.error(e);
                    pause();
                    continue;
                }
                heartbeat.beat();
                if (!records.isEmpty()) {
                    take(records);
                }
            }
        } finally {
            close();
        }
    }

    /**
     * Asks the worker to stop: it takes no further record, ends its poll at once, and ends once the record in hand,
     * if any, has its outcome.
     */
    public void stop() {
        stopped.countDown();
        consumer.wakeup();
    }

    private boolean isStopping() {
        return stopped.getCount() == 0;
    }

    private boolean initProducer() {
        Producer<byte[], byte[]> made = producers.get();
        try {
            made.initTransactions();
            producer = made;
            return true;
        } catch (KafkaException e) {
            LOG.warn("{} could not initialise its transactional producer, trying again: {}", name, e.toString());
            heartbeat.error(e);
            made.close(Duration.ZERO);
            pause();
            return false;
        }
    }

    private void take(ConsumerRecords<byte[], byte[]> records) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        records.forEach(all::add);
        Rewind rewind = new Rewind(all);
        ConsumerGroupMetadata owner = consumer.groupMetadata();
        Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>(all);
        long polledAt = System.nanoTime();
        while (nextOwned(pending, polledAt)) {
            if (!commit(pending, owner, rewind, polledAt)) {
                return;
            }
        }
        rewind.seekBack();
    }

    /**
     * Drops from the head of {@code pending} the records of partitions this worker no longer owns; false when none is
     * left or the worker must go back to poll (stopping, or half the poll interval has passed since the poll).
     */
    private boolean nextOwned(Deque<ConsumerRecord<byte[], byte[]>> pending, long polledAt) {
        if (isStopping() || System.nanoTime() - polledAt > yieldAfterNanos) {
            return false;
        }
        while (!pending.isEmpty() && !owns(pending.peekFirst())) {
            pending.removeFirst();
        }
        return !pending.isEmpty();
    }

    private boolean owns(ConsumerRecord<byte[], byte[]> record) {
        return consumer.assignment().contains(new TopicPartition(record.topic(), record.partition()));
    }

    /**
     * One transaction: the outcomes and offsets of the records it takes from the head of {@code pending}, or nothing;
     * false when it was aborted. {@link Batching#PER_RECORD} takes one record; {@link Batching#PER_POLL} takes records
     * until none is left, the worker must go back to poll, or the transaction has been open longer than
     * {@code commitAfter}, so one slow record never holds a long transaction. The offsets carry the group membership
     * of the poll that took the records ({@code owner}), so the broker refuses them when this worker has lost its
     * partitions since (a later generation took over, or it left the group).
     */
    private boolean commit(Deque<ConsumerRecord<byte[], byte[]>> pending, ConsumerGroupMetadata owner,
                           Rewind rewind, long polledAt) {
        boolean perRecord = listener.subscription().batching() == Batching.PER_RECORD;
        List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>();
        Culprit culprit = new Culprit();
        try {
            producer.beginTransaction();
            long begunAt = System.nanoTime();
            StageTransaction.within(producer, () -> {
                do {
                    ConsumerRecord<byte[], byte[]> record = pending.removeFirst();
                    taken.add(record);
                    receive(record, culprit);
                } while (!perRecord && System.nanoTime() - begunAt <= commitAfterNanos && nextOwned(pending, polledAt));
            });
            producer.sendOffsetsToTransaction(nextOffsets(taken), owner);
            producer.commitTransaction();
        } catch (RuntimeException e) {
            if (culprit.record != null) {
                poison.aborted(culprit.record, culprit.fault);
            }
            abort(e);
            seekToCommitted(rewind.partitions());
            retry("forget what the aborted transaction taught it", listener::onAborted);
            if (!(e instanceof RecordPipeline.RecordHandedBack) || !isStopping()) {
                pause();
            }
            return false;
        } catch (Error e) {
            abortQuietly();
            throw e;
        }
        rewind.committed(taken);
        poison.committed(taken);
        backoff = FIRST_BACKOFF;
        return true;
    }

    /**
     * Receives {@code record} in the open transaction, or dead-letters it when it broke its last transactions; the
     * record during whose receipt the transaction was first doomed is noted as the culprit.
     */
    private void receive(ConsumerRecord<byte[], byte[]> record, Culprit culprit) {
        Optional<Throwable> condemned = poison.condemned(record);
        if (condemned.isPresent()) {
            LOG.warn("{} dead-letters {}-{}@{}: its processing doomed the last {} transactions ({})", name,
                    record.topic(), record.partition(), record.offset(), PoisonRecords.ABORTS_BEFORE_DEAD_LETTER,
                    condemned.get().toString());
            deadLetters.publish(record, DeadLetterReason.PROCESSING, condemned.get());
            return;
        }
        try {
            listener.receive(record);
        } finally {
            if (culprit.record == null) {
                StageTransaction.doom().ifPresent(fault -> {
                    culprit.record = record;
                    culprit.fault = fault;
                });
            }
        }
    }

    private void abort(RuntimeException cause) {
        if (cause instanceof RecordPipeline.RecordHandedBack handedBack && !handedBack.transactionFault()) {
            LOG.info("{} aborts its transaction: {}", name, cause.getMessage());
        } else {
            LOG.warn("{} aborts its transaction; its records are taken again: {}", name, cause.toString());
            heartbeat.error(cause);
        }
        if (fenced(cause)) {
            LOG.warn("{} was fenced: another producer with its transactional id (a restarted instance with the same "
                    + "instance id) took over, or its transaction timed out; making a new producer", name);
            discardProducer();
            return;
        }
        abortQuietly();
    }

    private void abortQuietly() {
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            LOG.warn("{} could not abort its transaction, making a new producer: {}", name, e.toString());
            discardProducer();
        }
    }

    /**
     * Seeks the partitions back to their committed offsets, once the producer is ready again: a commit whose outcome
     * was not learnt (a timeout) may have committed, and the coordinator settles it when the producer with the same
     * transactional id initialises, so the committed offsets (asked for stable, as the consumer reads
     * read_committed) tell whether the records are to be taken again. A partition never committed goes to its start.
     */
    private void seekToCommitted(Collection<TopicPartition> partitions) {
        while (producer == null && !isStopping()) {
            initProducer();
        }
        retry("seek back to its committed offsets", () -> {
            Set<TopicPartition> assigned = new HashSet<>(partitions);
            assigned.retainAll(consumer.assignment());
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
            for (TopicPartition partition : assigned) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, offset);
                }
            }
        });
    }

    /**
     * Runs {@code step} until it succeeds or the worker stops, beating the heartbeat at each attempt and pausing
     * between them, so that a fault of the broker or of the stage's stores (read again after a restart) delays the
     * worker instead of ending it.
     */
    private void retry(String what, Runnable step) {
        while (!isStopping()) {
            heartbeat.beat();
            try {
                step.run();
                return;
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("{} could not {}, trying again: {}", name, what, e.toString());
                heartbeat.error(e);
                pause();
            }
        }
    }

    private static boolean fenced(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /** Waits before taking records again after a failed transaction, longer each time; ends early on stop. */
    private void pause() {
        try {
            stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) < 0 ? doubled : MAX_BACKOFF;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        records.forEach(r -> offsets.merge(new TopicPartition(r.topic(), r.partition()),
                new OffsetAndMetadata(r.offset() + 1),
                (a, b) -> a.offset() >= b.offset() ? a : b));
        return offsets;
    }

    /**
     * Closes the producer and the consumer, as well as they can be: a fault while closing (the consumer of a thread that
     * was interrupted cannot leave its group cleanly) is logged, never thrown over what ended the loop.
     */
    private void close() {
        try {
            discardProducer();
        } catch (RuntimeException e) {
            LOG.warn("{} could not close its producer: {}", name, e.toString());
        }
        try {
            consumer.close(KafkaClients.FOLLOWER_CLOSE);
        } catch (RuntimeException e) {
            LOG.warn("{} could not close its consumer cleanly: {}", name, e.toString());
        }
    }

    /** Where each partition of one poll must be sought back to: its first record not yet committed. */
    private final class Rewind {

        private final Map<TopicPartition, Long> firstUncommitted = new LinkedHashMap<>();
        private final Map<TopicPartition, Long> end = new HashMap<>();

        Rewind(List<ConsumerRecord<byte[], byte[]>> records) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                firstUncommitted.putIfAbsent(partition, record.offset());
                end.put(partition, record.offset() + 1);
            }
        }

        Collection<TopicPartition> partitions() {
            return firstUncommitted.keySet();
        }

        void committed(List<ConsumerRecord<byte[], byte[]>> records) {
            records.forEach(r -> firstUncommitted.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1,
                    Math::max));
        }

        /** Seeks every still-assigned partition with uncommitted records of the poll back to the first of them. */
        void seekBack() {
            Collection<TopicPartition> assigned = consumer.assignment();
            firstUncommitted.forEach((partition, offset) -> {
                if (offset < end.get(partition) && assigned.contains(partition)) {
                    consumer.seek(partition, offset);
                }
            });
        }
    }

    /** The record being received when the transaction was first doomed, and the fault that doomed it. */
    private static final class Culprit {
        private ConsumerRecord<byte[], byte[]> record;
        private Throwable fault;
    }

    /** Tells the listener of partitions moving, until it has taken the news (its stores may be unreadable a while). */
    private final class Rebalance implements ConsumerRebalanceListener {

        private Set<TopicPartition> held = Set.of();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            poison.forget(partitions);
            retry("hand over " + partitions, () -> listener.onPartitionsRevoked(partitions));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<TopicPartition> now = Set.copyOf(consumer.assignment());
            LOG.info("{} assignments changed: {} -> {}", name, held, now);
            held = now;
            retry("take over " + partitions, () -> listener.onPartitionsAssigned(partitions));
        }
    }
}

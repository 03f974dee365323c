package io.slipway.notifier.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.slipway.common.kafka.DeadLetterPublisher;
import io.slipway.common.kafka.DeadLetterReason;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.Delivery;
import io.slipway.notifier.domain.DeliveryOutcome;
import io.slipway.notifier.domain.NotificationDispatcher;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Delivers one channel's notifications from {@code slipway.notifier.deliveries} in partition order, in its own
 * consumer group and thread, so a channel that is down, slow or rate-limited delays nobody else. A record is committed
 * only once its delivery has an outcome: sent, duplicate, or dead-lettered to {@code slipway.notifier.deliveries.dlq}
 * with the response ({@value #RESPONSE_STATUS}, {@value #RESPONSE_BODY}). The offsets of a poll's records are
 * committed together once its records are handled (and before a wait to retry, or a partition is handed over), not
 * one commit per record: the channel's records share the topic with every other channel's, which this worker only
 * skips. The channel's memory saved by each delivery is not waited for one by one: a partition's saves are
 * acknowledged before its offset is committed ({@link KafkaStateStore#flushSaves}), partition by partition; while
 * they fail the worker takes no new record, tries again every 1–6 s (a 1 s poll, then a flush of up to 5 s), and
 * commits nothing of that partition nor of those after it; a partition handed over meanwhile goes uncommitted, its
 * saves given up. So a record sent but not yet committed when the worker dies is recognised as a duplicate by its
 * next owner unless its memory was not acknowledged yet; one rejected or abandoned is dead-lettered again. While it
 * waits to retry, the worker keeps polling with its partitions paused, so it stays in the group however long the
 * channel asks it to wait. Each poll beats its {@link Heartbeat}; a worker that died or stopped polling makes the
 * service DOWN.
 */
final class ChannelWorker implements ConsumerRebalanceListener {

    static final String RESPONSE_STATUS = "slipway.notifier.response-status";
    static final String RESPONSE_BODY = "slipway.notifier.response-body";

    private static final Logger LOG = LoggerFactory.getLogger(ChannelWorker.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a worker whose memories are not acknowledged polls, paused, before it flushes them again. */
    private static final Duration SAVE_RETRY = Duration.ofSeconds(1);
    private static final Duration SAVE_WARNING_EVERY = Duration.ofMinutes(1);

    /** The delivery stops without an outcome (partition revoked, service stopping); it stays uncommitted. */
    private static final class Aborted extends RuntimeException {
        Aborted(String message) {
            super(message, null, false, false);
        }
    }

    private final ChannelId channel;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final NotificationDispatcher dispatcher;
    private final DeadLetterPublisher deadLetters;
    private final KafkaStateStore state;
    private final MeterRegistry meters;
    private final Duration catchUpTimeout;
    private final Set<TopicPartition> revoked = new HashSet<>();
    /** The next offset of each partition whose records have their outcome, not yet committed. */
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private final Heartbeat heartbeat;
    private final Thread thread;
    private volatile boolean running = true;
    /** Set once the worker's thread closes its consumer, which revokes its partitions once more. */
    private boolean closing;
    /** When the worker last warned that its saves are not acknowledged; it warns once a minute at most. */
    private long lastSaveWarning = System.nanoTime() - SAVE_WARNING_EVERY.toNanos();
    private volatile String activity = "starting";

    ChannelWorker(ChannelId channel, KafkaConsumer<byte[], byte[]> consumer, NotificationDispatcher dispatcher,
                  DeadLetterPublisher deadLetters, KafkaStateStore state, MeterRegistry meters, Duration catchUpTimeout,
                  Heartbeat heartbeat) {
        this.channel = channel;
        this.consumer = consumer;
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
        this.state = state;
        this.meters = meters;
        this.catchUpTimeout = catchUpTimeout;
        this.heartbeat = heartbeat;
        this.thread = new Thread(heartbeat.guard(this::run), "notifier-" + channel);
        this.thread.setDaemon(true);
    }

    /** The consumer group of a channel: {@code notifier-service.<type>.<name>}. */
    static String groupOf(ChannelId channel) {
        return "notifier-service." + channel.toString().replace(':', '.');
    }

    void start() {
        thread.start();
    }

    ChannelId channel() {
        return channel;
    }

    /** What the worker is doing, for the health endpoint: delivering, retrying (and why), or stopped. */
    String state() {
        return activity;
    }

    void requestStop() {
        heartbeat.close();
        running = false;
        consumer.wakeup();
    }

    void awaitStopped() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(15));
    }

    private void run() {
        Throwable failure = null;
        try {
            state.deferSaves();
            consumer.subscribe(List.of(Topics.NOTIFIER_DELIVERIES), this);
            activity = "delivering";
            while (running) {
                heartbeat.beat();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(KafkaClients.FOLLOWER_POLL);
                // A partition revoked within the poll and assigned again is read from its committed offset: its
                // records are taken. Only a revocation while they are handled (in a wait) skips the rest of them.
                revoked.clear();
                Set<TopicPartition> halted = new HashSet<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (running && !halted.contains(partition) && !revoked.contains(partition)
                            && !handle(record, partition)) {
                        halted.add(partition);
                    }
                }
                commitHandled(handled.keySet());
                if (!handled.isEmpty()) {
                    holdUntilSaved();
                }
            }
        } catch (WakeupException | Aborted e) {
            LOG.debug("{} stopping", channel);
        } catch (RuntimeException | Error e) {
            LOG.error("{} stopped delivering after an unexpected error; restart the service", channel, e);
            failure = e;
            heartbeat.ended(e);
        } finally {
            activity = failure == null ? "stopped" : "stopped after an unexpected error";
            try {
                commitHandled(handled.keySet());
            } catch (RuntimeException e) {
                LOG.warn("{}: could not commit what it handled before stopping: {}", channel, e.toString());
            }
            closing = true; // what is left is handed over as it is: closing revokes without committing again
            try {
                consumer.close(KafkaClients.FOLLOWER_CLOSE);
            } finally {
                state.endDeferring();
            }
        }
    }

    /**
     * Takes no new record while memories this worker saved are not acknowledged (the state topic cannot be written):
     * waits with every assigned partition paused ({@link #pollPaused}) for {@link #SAVE_RETRY}, then flushes (up to
     * {@link #COMMIT_TIMEOUT} a partition) and commits again, until they are.
     */
    private void holdUntilSaved() {
        activity = "waiting for the channel's memory to be saved";
        consumer.pause(consumer.assignment());
        try {
            while (running && !handled.isEmpty()) {
                pollPaused(SAVE_RETRY);
                commitHandled(handled.keySet());
            }
        } finally {
            consumer.resume(consumer.paused());
            activity = "delivering";
            lastSaveWarning = System.nanoTime() - SAVE_WARNING_EVERY.toNanos(); // the next outage is told at once
        }
    }

    /** @return false when the record must be taken again: the rest of its partition's batch is skipped */
    private boolean handle(ConsumerRecord<byte[], byte[]> record, TopicPartition partition) {
        try {
            if (channel.toString().equals(header(record, DeliveryQueue.CHANNEL_HEADER))) {
                state.savingFor(partition);
                try {
                    deliver(record, partition);
                } finally {
                    state.savingFor(null);
                }
            }
            handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
            return true;
        } catch (Aborted e) {
            if (!running) {
                throw e;
            }
            return false;
        } catch (TransientFailure e) {
            LOG.warn("{}: Kafka fault on {}-{}@{}, will take it again: {}", channel, record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            consumer.seek(partition, record.offset());
            try {
                await(partition, Duration.ofSeconds(1));
            } catch (Aborted aborted) {
                if (!running) {
                    throw aborted;
                }
            }
            return false;
        }
    }

    /**
     * Commits what was handled of {@code partitions} and forgets it, whether or not the commit succeeds: a record
     * whose commit failed is delivered again to whoever owns its partition then, and recognised as a duplicate. Only
     * a partition whose memories saved so far are acknowledged is committed; the others are kept, to be committed
     * after a later flush.
     */
    private void commitHandled(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : List.copyOf(partitions)) {
            if (!handled.containsKey(partition)) {
                continue;
            }
            if (!saved(partition)) {
                break; // the state topic does not answer: the other partitions' saves would wait as long
            }
            offsets.put(partition, handled.remove(partition));
        }
        if (offsets.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                consumer.commitSync(offsets, COMMIT_TIMEOUT);
                return;
            } catch (WakeupException e) {
                // The stop's wake-up, which is spent now: commit once more what has its outcome.
                if (attempt > 1) {
                    return;
                }
            } catch (KafkaException e) {
                // Fenced by a rebalance or the broker away: whoever takes the records again finds a sent one delivered.
                LOG.warn("{}: could not commit {} ({}); the records will be taken again", channel, offsets,
                        e.toString());
                return;
            }
        }
    }

    /** Whether the memories saved for the partition's records are acknowledged, so the records may be committed. */
    private boolean saved(TopicPartition partition) {
        try {
            state.flushSaves(partition, COMMIT_TIMEOUT);
            return true;
        } catch (TransientFailure e) {
            if (System.nanoTime() - lastSaveWarning >= SAVE_WARNING_EVERY.toNanos()) {
                lastSaveWarning = System.nanoTime();
                LOG.warn("{}: the channel's memory is not saved yet, so {} and the partitions after it are not "
                        + "committed; trying again every {}-{} s (said once a minute): {}", channel, partition,
                        SAVE_RETRY.toSeconds(), SAVE_RETRY.plus(COMMIT_TIMEOUT).toSeconds(), e.getMessage());
            } else {
                LOG.debug("{}: the channel's memory is not saved yet: {}", channel, e.getMessage());
            }
            return false;
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record, TopicPartition partition) {
        Delivery delivery;
        try {
            delivery = NotifierJson.delivery(record.value());
        } catch (ThreadDeath e) {
            throw e;
        } catch (Throwable e) {
            // Whatever reading the record throws, an Error included, is the record's fault, not the channel's.
            deadLetter(record, DeadLetterReason.DESERIALIZATION, e, null, null);
            count("dead_lettered");
            return;
        }
        DeliveryOutcome outcome;
        try {
            outcome = dispatcher.deliver(delivery, wait -> await(partition, wait), (attempt, delay, failure) -> {
                LOG.warn("{}: attempt {} failed, retrying in {} ms: {}", channel, attempt, delay.toMillis(), failure.getMessage());
                activity = "retrying after attempt " + attempt + ": " + failure.getMessage();
                count("retried");
            });
            activity = "delivering";
        } catch (Aborted | TransientFailure | WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            deadLetter(record, DeadLetterReason.PROCESSING, e, null, null);
            count("dead_lettered");
            return;
        }
        String event = delivery.notification().eventId();
        if (outcome instanceof DeliveryOutcome.Sent sent) {
            LOG.info("{}: {} for event {} of {}", channel, sent.detail(), event, delivery.notification().repository());
            count("sent");
        } else if (outcome instanceof DeliveryOutcome.Duplicate) {
            LOG.info("{}: event {} was already notified", channel, event);
            count("duplicate");
        } else if (outcome instanceof DeliveryOutcome.Rejected rejected) {
            deadLetter(record, DeadLetterReason.PROCESSING, rejected.cause(), rejected.cause().status(),
                    rejected.cause().response());
            count("rejected");
        } else if (outcome instanceof DeliveryOutcome.Abandoned abandoned) {
            deadLetter(record, DeadLetterReason.RETRIES_EXHAUSTED, abandoned.cause(), null, null);
            count("abandoned");
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, Throwable cause,
                            Integer status, String response) {
        LOG.error("{}: dead-lettering {}-{}@{} ({}): {}", channel, record.topic(), record.partition(), record.offset(),
                reason, cause.getMessage());
        Headers headers = new RecordHeaders(record.headers().toArray());
        if (status != null) {
            headers.add(RESPONSE_STATUS, status.toString().getBytes(StandardCharsets.UTF_8));
            headers.add(RESPONSE_BODY, (response == null ? "" : response).getBytes(StandardCharsets.UTF_8));
        }
        deadLetters.publish(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(),
                record.value(), headers, record.leaderEpoch()), reason, cause);
    }

    /**
     * Waits with every assigned partition paused ({@link #pollPaused}). Aborts when the current partition is revoked
     * or the service stops.
     */
    private void await(TopicPartition current, Duration duration) {
        // What the poll has delivered so far is committed before a wait, which may be long (Retry-After).
        commitHandled(handled.keySet());
        long deadline = System.nanoTime() + duration.toNanos();
        consumer.pause(consumer.assignment());
        try {
            while (running && !revoked.contains(current)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                pollPaused(Duration.ofNanos(Math.min(left, KafkaClients.FOLLOWER_POLL.toNanos())));
            }
        } catch (WakeupException e) {
            throw new Aborted("stopping");
        } finally {
            consumer.resume(consumer.paused());
        }
        throw new Aborted(running ? "partition " + current + " was revoked" : "stopping");
    }

    /**
     * One poll while every assigned partition is paused, so that the group keeps this member: records fetched for
     * partitions assigned in it are rewound, and those partitions are paused too.
     */
    private void pollPaused(Duration timeout) {
        ConsumerRecords<byte[], byte[]> fetched = consumer.poll(timeout);
        heartbeat.beat();
        for (TopicPartition p : fetched.partitions()) {
            consumer.seek(p, fetched.records(p).get(0).offset());
        }
        consumer.pause(consumer.assignment());
    }

    /**
     * Handed over: what has its outcome and its memory saved is committed (unless the worker is stopping, which
     * committed what it could already); the rest is its next owner's to take again, so its unsaved memories are given
     * up here.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!closing) {
            commitHandled(partitions);
        }
        partitions.forEach(this::giveUp);
        revoked.addAll(partitions);
    }

    /** Lost, not handed over: the group has moved on, so nothing of them can be committed any more. */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(this::giveUp);
        revoked.addAll(partitions);
    }

    private void giveUp(TopicPartition partition) {
        handled.remove(partition);
        state.abandonSaves(partition);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // The previous owner saved its memory before committing: read it before taking its records.
        while (running) {
            try {
                state.catchUp(catchUpTimeout);
                return;
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot read {} yet, retrying: {}", channel, Topics.NOTIFIER_STATE, e.getMessage());
            }
        }
    }

    private void count(String outcome) {
        meters.counter("slipway.notifier.deliveries", "channel", channel.toString(), "outcome", outcome).increment();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

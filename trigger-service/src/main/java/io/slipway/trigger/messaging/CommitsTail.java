package io.slipway.trigger.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TopicTail;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.messaging.TopicsAtStartup;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import io.slipway.trigger.domain.RunLedger;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the {@link RunLedger} in step with {@code slipway.commits}: reads every partition from the beginning
 * at start-up (the service answers no webhook before it has caught up) and then follows the topic, so the ledger
 * holds every run any trigger instance started, also across restarts. {@link #awaitCaughtUp} lets a new
 * partition owner wait until runs emitted by the previous owner are in the ledger. Its thread beats a
 * {@link Heartbeat} on every read: a tail that died or hangs makes the service DOWN, since a trigger whose ledger no
 * longer follows the topic would start duplicate runs.
 * <p>
 * A record it cannot decode (whatever the decoder throws, an {@link Error} included) or that is no
 * {@code CommitReceived} is skipped, logged and counted ({@code slipway.trigger.ledger.unreadable}): builder-service's
 * consumer group dead-letters that record, so the tail has no run to record and nothing to send anywhere.
 */
@Context
public class CommitsTail {

    private static final Logger LOG = LoggerFactory.getLogger(CommitsTail.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Asked for the topic's end by a catch-up; it never fetches, so no held fetch is ahead of it. */
    private final KafkaConsumer<byte[], byte[]> ends;
    private final TopicTail<byte[], byte[]> tail;
    private final Deserializer<SpecificRecord> deserializer;
    private final RunLedger ledger;
    private final MeterRegistry meters;
    private final Duration startupTimeout;
    private final AtomicReference<CompletableFuture<Void>> catchUpRequest = new AtomicReference<>();
    private final Heartbeat heartbeat;
    private final Thread thread;
    private volatile boolean running = true;
    /** Whether the thread follows the topic (or is about to): only then does a catch-up request wake its poll. */
    private volatile boolean idle;

    CommitsTail(KafkaClients clients, @Named("slipway-events") Deserializer<SpecificRecord> deserializer,
                RunLedger ledger, MeterRegistry meters, SlipwayKafkaProperties settings, Heartbeats heartbeats,
                @Nullable TopicsAtStartup topicsCreated) {
        this.consumer = clients.consumer("trigger-service-commits-tail", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.ends = clients.consumer("trigger-service-commits-ends", null, KafkaClients.READS_WHEN_ASKED,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.tail = new TopicTail<>(consumer, ends, List.of(Topics.COMMITS));
        this.deserializer = deserializer;
        this.ledger = ledger;
        this.meters = meters;
        this.startupTimeout = settings.startupTimeout();
        // A catch-up may take the whole start-up timeout before it gives up and the loop beats again; at rest it
        // beats once per poll.
        Duration beats = startupTimeout.multipliedBy(2);
        this.heartbeat = heartbeats.register("commits tail",
                beats.compareTo(KafkaClients.FOLLOWER_POLL.multipliedBy(3)) > 0 ? beats : KafkaClients.FOLLOWER_POLL.multipliedBy(3));
        this.thread = new Thread(heartbeat.guard(this::run), "commits-tail");
        this.thread.setDaemon(true);
    }

    @PostConstruct
    void start() {
        thread.start();
        try {
            awaitCaughtUp(startupTimeout);
        } catch (RuntimeException e) {
            // The service does not start, and a bean that failed to start is not stopped for it.
            stop();
            throw e;
        }
        LOG.info("Run ledger caught up with {}: {} runs known", Topics.COMMITS, ledger.size());
    }

    /**
     * Blocks until every run written to {@code slipway.commits} before this call is in the ledger.
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}, or at once when the tail has stopped
     *                               (the service is shutting down, or its thread died) and will never catch up
     */
    public void awaitCaughtUp(Duration timeout) {
        CompletableFuture<Void> request = new CompletableFuture<>();
        offer(request);
        if (running && idle) {
            // The tail's poll waits for records; a catch-up request ends that wait (one under way is not disturbed).
            consumer.wakeup();
        }
        if (!running || !thread.isAlive()) {
            // Checked after the request is in place: a tail that stops later fails it on its way out.
            failPending(new IllegalStateException("the " + Topics.COMMITS + " tail has stopped"));
        }
        try {
            request.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + Topics.COMMITS, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read " + Topics.COMMITS + " to its end: " + e.getCause(),
                    e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not read " + Topics.COMMITS + " to its end within " + timeout
                    + "; is Kafka reachable?", e);
        }
    }

    /** Whether the tail still follows the topic, so that a later {@link #awaitCaughtUp} can succeed. */
    public boolean following() {
        return running && thread.isAlive();
    }

    /** Puts {@code request} in place for the tail's next catch-up; a request already waiting is answered with it. */
    private void offer(CompletableFuture<Void> request) {
        CompletableFuture<Void> pending = catchUpRequest.getAndSet(request);
        if (pending != null) {
            request.whenComplete((ok, error) -> {
                if (error == null) {
                    pending.complete(null);
                } else {
                    pending.completeExceptionally(error);
                }
            });
        }
    }

    private void failPending(Throwable cause) {
        CompletableFuture<Void> request = catchUpRequest.getAndSet(null);
        if (request != null) {
            request.completeExceptionally(cause);
        }
    }

    private void run() {
        boolean following = false;
        try {
            while (running) {
                heartbeat.beat();
                // Set before the request is looked for: a request that comes after the look wakes the poll.
                idle = true;
                CompletableFuture<Void> request = catchUpRequest.getAndSet(null);
                try {
                    if (following && request == null) {
                        tail.poll(KafkaClients.FOLLOWER_POLL, this::apply);
                        continue;
                    }
                    idle = false;
                    tail.catchUp(startupTimeout, this::apply);
                    following = true;
                    if (request != null) {
                        request.complete(null);
                    }
                } catch (WakeupException e) {
                    // A catch-up request (or stop) woke the consumer, perhaps just as this catch-up began: the
                    // request in hand is taken again with any that came since.
                    if (request != null) {
                        offer(request);
                    }
                } catch (TimeoutException e) {
                    LOG.warn("Could not read {} to its end yet: {}", Topics.COMMITS, e.getMessage());
                    heartbeat.error(e);
                    if (request != null) {
                        request.completeExceptionally(e);
                    }
                } catch (RuntimeException | Error e) {
                    if (request != null) {
                        request.completeExceptionally(e);
                    }
                    throw e;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("commits tail failed; runs started from now on may not be deduplicated", e);
            heartbeat.ended(e);
            running = false;
            failPending(e);
        } finally {
            running = false;
            failPending(new IllegalStateException("the " + Topics.COMMITS + " tail has stopped"));
            try {
                consumer.close(Duration.ZERO);
            } finally {
                ends.close(Duration.ZERO);
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        SpecificRecord decoded;
        try {
            decoded = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (ThreadDeath e) {
            throw e;
        } catch (Throwable e) {
            skip(record, e.toString());
            return;
        }
        if (!(decoded instanceof CommitReceived event)) {
            skip(record, decoded == null ? "a tombstone" : "a " + decoded.getSchema().getFullName());
            return;
        }
        try {
            ledger.record(event.getRun().getRunId(), event.getRun().getAttempt(), CommitMapping.toPush(event),
                    event.getRun().getAcceptedSequence(), event.getRun().getTriggeredAt());
        } catch (RuntimeException e) {
            skip(record, e.toString());
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String why) {
        LOG.warn("Skipping {}-{}@{}, not a CommitReceived the ledger can use (builder-service dead-letters it): {}",
                record.topic(), record.partition(), record.offset(), why);
        meters.counter("slipway.trigger.ledger.unreadable").increment();
    }

    @PreDestroy
    void stop() {
        heartbeat.close();
        running = false;
        consumer.wakeup();
        ends.wakeup();
        // A rebalance callback waiting for a catch-up must not hold its partitions until it times out.
        failPending(new IllegalStateException("the " + Topics.COMMITS + " tail has stopped"));
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

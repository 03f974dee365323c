package io.slipway.builder.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.slipway.builder.domain.LogStream;
import io.slipway.events.LogChunk;
import io.slipway.events.Stage;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends build log chunks as {@code LogChunk} (stage BUILD) to {@code slipway.logs}, keyed by run id, from a sender
 * thread of its own so that no build waits for the broker (the same thread runs the linger timers of the streamed
 * logs, {@link #schedule}). At most {@code maxQueued} chunks wait for that thread; a
 * chunk beyond that, or one the broker refuses, is dropped, logged and counted
 * ({@code slipway.builder.log.chunks{outcome=failed}}), never thrown at the build.
 */
public final class KafkaLogStream implements LogStream, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLogStream.class);

    private final Producer<String, SpecificRecord> producer;
    private final ScheduledExecutorService sender;
    private final Clock clock;
    private final int maxQueued;
    private final Duration closeTimeout;
    private final AtomicInteger queued = new AtomicInteger();
    private final Counter sent;
    private final Counter failed;

    public KafkaLogStream(Producer<String, SpecificRecord> producer, ScheduledExecutorService sender, Clock clock,
                          MeterRegistry meters, int maxQueued, Duration closeTimeout) {
        this.producer = producer;
        this.sender = sender;
        this.clock = clock;
        this.maxQueued = maxQueued;
        this.closeTimeout = closeTimeout;
        this.sent = meters.counter("slipway.builder.log.chunks", "outcome", "sent");
        this.failed = meters.counter("slipway.builder.log.chunks", "outcome", "failed");
    }

    @Override
    public CompletableFuture<Void> send(Chunk chunk) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            failed(chunk, "more than " + maxQueued + " chunks wait for the broker", done);
            return done;
        }
        try {
            sender.execute(() -> {
                queued.decrementAndGet();
                transmit(chunk, done);
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            failed(chunk, "the builder is shutting down", done);
        }
        return done;
    }

    private void transmit(Chunk chunk, CompletableFuture<Void> done) {
        LogChunk record = LogChunk.newBuilder()
                .setRunId(chunk.runId())
                .setAttempt(chunk.attempt())
                .setRepository(chunk.repository())
                .setStage(Stage.BUILD)
                .setSequence(chunk.sequence())
                .setText(chunk.text())
                .setLast(chunk.last())
                .setTruncated(chunk.truncated())
                .setEmittedAt(clock.instant())
                .build();
        try {
            producer.send(new ProducerRecord<>(Topics.LOGS, chunk.runId(), record), (metadata, error) -> {
                if (error == null) {
                    sent.increment();
                    done.complete(null);
                } else {
                    failed(chunk, error.toString(), done);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws when metadata does not come within max.block.ms, or the record cannot be serialized.
            failed(chunk, e.toString(), done);
        }
    }

    private void failed(Chunk chunk, String why, CompletableFuture<Void> done) {
        failed.increment();
        LOG.warn("Log chunk {} of run {} attempt {} not sent to {}: {}", chunk.sequence(), chunk.runId(),
                chunk.attempt(), Topics.LOGS, why);
        done.complete(null);
    }

    /** Runs {@code task} on the sender thread after {@code delay}; nothing runs once the stream is closed. */
    public void schedule(Duration delay, Runnable task) {
        try {
            sender.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Log stream closed; a linger timer was not set");
        }
    }

    /** Sends what is queued, then closes the producer, waiting at most the close timeout for the broker. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.shutdownNow();
        }
        producer.close(closeTimeout);
    }
}

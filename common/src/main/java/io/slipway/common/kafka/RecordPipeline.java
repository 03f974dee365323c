package io.slipway.common.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.slipway.schemas.registry.SchemaRegistryException;
import io.slipway.schemas.serde.SchemaRegistryAccessException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Takes one raw record from an input topic to its outcome: decode it, hand the event to the stage, retry transient
 * faults with exponential backoff, and send what can never be processed to {@code <topic>.dlq}. It returns only
 * when the record has an outcome (handled or dead-lettered), so the caller may commit the offset afterwards; it
 * throws only when the record must stay uncommitted (interrupted during shutdown, dead-letter topic unwritable).
 * <p>
 * Every record's hop — from the producer's timestamp to the moment this stage takes it — is recorded in the timer
 * {@code slipway.hop} (tag {@code topic}) as a percentile histogram, which is what the pipeline benchmark reads.
 */
public final class RecordPipeline {

    /** Waits between attempts; a seam so tests need not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(RecordPipeline.class);

    private final Deserializer<SpecificRecord> deserializer;
    private final DeadLetterPublisher deadLetters;
    private final RetryPolicy retryPolicy;
    private final MeterRegistry meters;
    private final Sleeper sleeper;
    private final Clock clock;

    public RecordPipeline(Deserializer<SpecificRecord> deserializer, DeadLetterPublisher deadLetters,
                          RetryPolicy retryPolicy, MeterRegistry meters) {
        this(deserializer, deadLetters, retryPolicy, meters, duration -> Thread.sleep(duration.toMillis()),
                Clock.systemUTC());
    }

    RecordPipeline(Deserializer<SpecificRecord> deserializer, DeadLetterPublisher deadLetters,
                   RetryPolicy retryPolicy, MeterRegistry meters, Sleeper sleeper, Clock clock) {
        this.deserializer = deserializer;
        this.deadLetters = deadLetters;
        this.retryPolicy = retryPolicy;
        this.meters = meters;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * Processes one record whose value must decode to {@code type}.
     *
     * @return true when the handler processed the event, false when the record was dead-lettered
     */
    public <T extends SpecificRecord> boolean process(ConsumerRecord<byte[], byte[]> record, Class<T> type,
                                                      RecordHandler<? super T> handler) {
        recordHop(record);
        SpecificRecord decoded;
        try {
            decoded = withRetries(record, () -> deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RetriesExhausted e) {
            return deadLetter(record, DeadLetterReason.RETRIES_EXHAUSTED, e.getCause());
        } catch (RecordHandedBack e) {
            throw e;
        } catch (RuntimeException e) {
            return deadLetter(record, DeadLetterReason.DESERIALIZATION, e);
        }
        if (!type.isInstance(decoded)) {
            String found = decoded == null ? "a null value (tombstone)" : decoded.getSchema().getFullName();
            return deadLetter(record, DeadLetterReason.UNEXPECTED_EVENT_TYPE, new IllegalArgumentException(
                    "topic " + record.topic() + " carries " + type.getName() + ", got " + found));
        }
        T event = type.cast(decoded);
        try {
            withRetries(record, () -> {
                handler.handle(event);
                return null;
            });
        } catch (RetriesExhausted e) {
            return deadLetter(record, DeadLetterReason.RETRIES_EXHAUSTED, e.getCause());
        } catch (RecordHandedBack e) {
            throw e;
        } catch (RuntimeException e) {
            return deadLetter(record, DeadLetterReason.PROCESSING, e);
        }
        count(record, "processed");
        return true;
    }

    private <R> R withRetries(ConsumerRecord<byte[], byte[]> record, Attempt<R> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (Exception e) {
                if (!isTransient(e)) {
                    throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
                }
                if (n >= retryPolicy.maxAttempts()) {
                    throw new RetriesExhausted(e);
                }
                Duration backoff = retryPolicy.backoffAfter(n);
                LOG.warn("Transient fault on {}-{}@{} (attempt {}/{}), retrying in {} ms: {}", record.topic(),
                        record.partition(), record.offset(), n, retryPolicy.maxAttempts(), backoff.toMillis(),
                        e.toString());
                count(record, "retried");
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    // Leave the offset uncommitted: the record is handed back to the group and re-consumed.
                    throw new RecordHandedBack(record, interrupted);
                }
            }
        }
    }

    private boolean deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, Throwable cause) {
        LOG.error("Dead-lettering {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(), reason,
                cause.toString());
        deadLetters.publish(record, reason, cause);
        count(record, "dead_lettered");
        return false;
    }

    /** Producer timestamp to now; a record without a timestamp (-1) or from a skewed clock is not counted. */
    private void recordHop(ConsumerRecord<?, ?> record) {
        long hop = clock.millis() - record.timestamp();
        if (record.timestamp() < 0 || hop < 0) {
            return;
        }
        Timer.builder("slipway.hop").description("Producer timestamp of a record to this stage taking it")
                .tag("topic", record.topic()).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters).record(Duration.ofMillis(hop));
    }

    private void count(ConsumerRecord<?, ?> record, String outcome) {
        meters.counter("slipway.records", "topic", record.topic(), "outcome", outcome).increment();
    }

    /**
     * Whether a fault is worth retrying: our own {@link TransientFailure}, Kafka's retriable errors, the schema
     * registry unreachable or answering 5xx, or a connection failure or timeout anywhere in the cause chain.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransientFailure || t instanceof org.apache.kafka.common.errors.RetriableException
                    || t instanceof ConnectException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof SchemaRegistryAccessException access && access.isTransient()
                    || t instanceof SchemaRegistryException registry && registry.isTransient()) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Attempt<R> {
        R run() throws Exception;
    }

    private static final class RetriesExhausted extends RuntimeException {
        RetriesExhausted(Exception last) {
            super(last);
        }
    }

    /** Thrown when processing stopped before an outcome; the record's offset must not be committed. */
    public static final class RecordHandedBack extends RuntimeException {
        RecordHandedBack(ConsumerRecord<?, ?> record, Throwable cause) {
            super("processing of " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " was interrupted; the record stays uncommitted", cause);
        }
    }
}

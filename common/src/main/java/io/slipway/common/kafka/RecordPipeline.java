package io.slipway.common.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.slipway.common.yaml.DurationSyntax;
import io.slipway.schemas.registry.SchemaRegistryException;
import io.slipway.schemas.serde.SchemaRegistryAccessException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes one raw record from an input topic to its outcome, and is the one place that decides what happens when
 * retries are used up: decode the record, hand the event to the stage, retry transient faults with exponential
 * backoff for the stage's {@link RetryBudget} (a time, counted from the record's first transient fault), and once the
 * budget is spent give the record the outcome its stage declared ({@link WhenExhausted}: the stage's own failure event,
 * or {@code <topic>.dlq}). A record that can never be processed (not decodable, a type the topic does not carry, a
 * permanent error) goes to {@code <topic>.dlq} at once; so does one whose decoding outlasted the budget, since without
 * the event there is no run to fail.
 * <p>
 * Decoding depends on the record's bytes alone, so anything thrown while decoding, an {@link Error} included (say an
 * {@link OutOfMemoryError} from a length Avro's limits let through), is the record's fault: it is dead-lettered and the
 * partition flows on. While handling, an {@link Error} is the service's fault rather than the record's (the JVM is out
 * of memory, a class is missing): it is not caught, the record stays uncommitted, the listener's thread ends, and the
 * service's health says so, so that it is restarted and takes the record again. The exception is a
 * {@link StackOverflowError}, which comes from how deeply the record's content nests and would recur on every attempt:
 * that record is dead-lettered. A {@link ThreadDeath} (the thread is being stopped) is never the record's fault.
 * <p>
 * It returns only when the record has an outcome, so the caller may commit the offset afterwards; it throws only when
 * the record must stay uncommitted: {@link RecordHandedBack} (the service is stopping, or the stage handed the record
 * back), or the dead-letter topic is unwritable. The budget is kept in this process only: a record taken again after a
 * restart or a rebalance starts a new budget.
 * <p>
 * Inside a stage worker's transaction, a fault met once that transaction can no longer commit (a send through it
 * failed, the producer was fenced, or an acknowledgement was not had in time: see {@link StageTransaction}) is not the
 * record's: retrying, dead-lettering or publishing a failure outcome would all go into the doomed transaction, so the
 * record is handed back at once ({@link RecordHandedBack}), without spending its budget, and the worker aborts and
 * takes it again. Faults of the stage's own work (a registry, Docker, a remote API) are retried as above.
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
    private static final int MAX_LOGGED_KEY = 200;

    private final Deserializer<SpecificRecord> deserializer;
    private final DeadLetterPublisher deadLetters;
    private final RetryBudget budget;
    private final MeterRegistry meters;
    private final Sleeper sleeper;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public RecordPipeline(Deserializer<SpecificRecord> deserializer, DeadLetterPublisher deadLetters,
                          RetryBudget budget, MeterRegistry meters) {
        this(deserializer, deadLetters, budget, meters, null, Clock.systemUTC());
    }

    /** With {@code sleeper} null, waits end early when the pipeline is {@linkplain #stop() stopped}. */
    RecordPipeline(Deserializer<SpecificRecord> deserializer, DeadLetterPublisher deadLetters,
                   RetryBudget budget, MeterRegistry meters, Sleeper sleeper, Clock clock) {
        this.deserializer = deserializer;
        this.deadLetters = deadLetters;
        this.budget = budget;
        this.meters = meters;
        this.sleeper = sleeper != null ? sleeper : duration -> stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        this.clock = clock;
    }

    /**
     * Processes one record whose value must decode to {@code type}.
     *
     * @param whenExhausted what the record becomes when its transient faults outlast the retry budget
     * @return true when the stage gave the record its outcome (handled it, or published its failure event), false when
     *         the record was dead-lettered
     */
    public <T extends SpecificRecord> boolean process(ConsumerRecord<byte[], byte[]> record, Class<T> type,
                                                      RecordHandler<? super T> handler,
                                                      WhenExhausted<? super T> whenExhausted) {
        recordHop(record);
        Retries retries = new Retries(record);
        SpecificRecord decoded;
        try {
            decoded = retries.run(() -> deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (BudgetSpent spent) {
            return deadLetter(record, DeadLetterReason.RETRIES_EXHAUSTED, spent.exhausted.lastFault());
        } catch (RecordHandedBack | ThreadDeath e) {
            throw e;
        } catch (Throwable e) {
            return deadLetter(record, DeadLetterReason.DESERIALIZATION, e);
        }
        if (!type.isInstance(decoded)) {
            String found = decoded == null ? "a null value (tombstone)" : decoded.getSchema().getFullName();
            return deadLetter(record, DeadLetterReason.UNEXPECTED_EVENT_TYPE, new IllegalArgumentException(
                    "topic " + record.topic() + " carries " + type.getName() + ", got " + found));
        }
        T event = type.cast(decoded);
        try {
            retries.run(() -> {
                handler.handle(event);
                return null;
            });
        } catch (BudgetSpent spent) {
            return exhausted(record, event, spent.exhausted, whenExhausted);
        } catch (RecordHandedBack e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            return deadLetter(record, DeadLetterReason.PROCESSING, e);
        }
        handBackIfDoomed(record);
        count(record, "processed");
        return true;
    }

    /**
     * Ends every wait for a next attempt, now and later: a record that would wait is handed back uncommitted
     * ({@link RecordHandedBack}) instead, so a stopping service does not sit out a retry budget. Records that meet no
     * fault are still processed. Called when the service shuts down.
     */
    public void stop() {
        stopped.countDown();
    }

    private <T> boolean exhausted(ConsumerRecord<byte[], byte[]> record, T event, RetriesExhausted exhausted,
                                  WhenExhausted<? super T> whenExhausted) {
        handBackIfDoomed(record);
        if (whenExhausted instanceof WhenExhausted.PublishFailure<? super T> failure) {
            try {
                failure.outcome().publish(event, exhausted);
                LOG.warn("Gave up on {}-{}@{} (key {}) after retrying {}; the stage published its failure outcome. "
                        + "Last fault: {}", record.topic(), record.partition(), record.offset(), keyOf(record),
                        exhausted.summary(), exhausted.lastFault().toString());
                count(record, "gave_up");
                return true;
            } catch (Exception e) {
                LOG.error("Could not publish the failure outcome of {}-{}@{}, dead-lettering it instead: {}",
                        record.topic(), record.partition(), record.offset(), e.toString());
            }
        }
        return deadLetter(record, DeadLetterReason.RETRIES_EXHAUSTED, exhausted.lastFault());
    }

    private boolean deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, Throwable cause) {
        handBackIfDoomed(record);
        LOG.error("Dead-lettering {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(), reason,
                cause.toString());
        deadLetters.publish(record, reason, cause);
        count(record, "dead_lettered");
        return false;
    }

    /**
     * Hands the record back when the stage worker's open transaction can no longer commit, so that the worker aborts
     * it and takes the record again instead of this pipeline retrying into it.
     */
    private void handBackIfDoomed(ConsumerRecord<byte[], byte[]> record) {
        StageTransaction.doom().ifPresent(doom -> {
            count(record, "handed_back");
            throw new RecordHandedBack(record, "its transaction can no longer commit: " + doom, doom, true);
        });
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

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return "none";
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        return key.length() <= MAX_LOGGED_KEY ? key : key.substring(0, MAX_LOGGED_KEY) + "…";
    }

    /** The failed attempts at one record, decoding and handling alike, and the budget they share. */
    private final class Retries {

        private final ConsumerRecord<byte[], byte[]> record;
        private Instant firstFault;
        private int faults;

        Retries(ConsumerRecord<byte[], byte[]> record) {
            this.record = record;
        }

        <R> R run(Attempt<R> attempt) {
            while (true) {
                try {
                    return attempt.run();
                } catch (RecordHandedBack e) {
                    throw e;
                } catch (Exception e) {
                    handBackIfDoomed(record);
                    if (!isTransient(e)) {
                        throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
                    }
                    waitOrGiveUp(e);
                }
            }
        }

        private void waitOrGiveUp(Exception fault) {
            Instant now = clock.instant();
            faults++;
            if (firstFault == null) {
                firstFault = now;
            }
            Duration spent = Duration.between(firstFault, now);
            Duration left = budget.budget().minus(spent);
            if (left.isNegative() || left.isZero()) {
                throw new BudgetSpent(new RetriesExhausted(spent, faults, fault));
            }
            Duration backoff = budget.backoffAfter(faults);
            Duration wait = backoff.compareTo(left) < 0 ? backoff : left;
            LOG.warn("Transient fault on {}-{}@{} (key {}, attempt {}, {} of the {} retry budget spent), retrying in {}: {}",
                    record.topic(), record.partition(), record.offset(), keyOf(record), faults,
                    DurationSyntax.format(spent), DurationSyntax.format(budget.budget()), DurationSyntax.format(wait),
                    fault.toString());
            count(record, "retried");
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new RecordHandedBack(record, "interrupted", interrupted);
            }
            if (stopped.getCount() == 0) {
                throw new RecordHandedBack(record, "the service is stopping", null);
            }
        }
    }

    @FunctionalInterface
    private interface Attempt<R> {
        R run() throws Exception;
    }

    /** The budget ran out; carries what the stage is told. */
    private static final class BudgetSpent extends RuntimeException {
        private final RetriesExhausted exhausted;

        BudgetSpent(RetriesExhausted exhausted) {
            super(exhausted.lastFault());
            this.exhausted = exhausted;
        }
    }

    /**
     * The record has no outcome and its offset must not be committed: the service is stopping, or the stage stopped
     * before it had an outcome. The listener's consumer seeks back to it, so it is taken again (here or, after a
     * rebalance, by another instance).
     */
    public static final class RecordHandedBack extends RuntimeException {

        private final boolean transactionFault;

        /** For a stage that stopped before the record had an outcome (it is shutting down). */
        public RecordHandedBack(String message, Throwable cause) {
            this(message, cause, false);
        }

        RecordHandedBack(ConsumerRecord<?, ?> record, String why, Throwable cause) {
            this(record, why, cause, false);
        }

        RecordHandedBack(ConsumerRecord<?, ?> record, String why, Throwable cause, boolean transactionFault) {
            this("processing of " + record.topic() + "-" + record.partition() + "@" + record.offset() + " stopped ("
                    + why + "); the record stays uncommitted", cause, transactionFault);
        }

        private RecordHandedBack(String message, Throwable cause, boolean transactionFault) {
            super(message, cause);
            this.transactionFault = transactionFault;
        }

        /** Whether it was handed back because the stage worker's transaction can no longer commit (a Kafka fault). */
        boolean transactionFault() {
            return transactionFault;
        }
    }
}

package io.slipway.common.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slipway.common.testing.TestClock;
import io.slipway.events.ArtifactKind;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.PoisonPayloads;
import io.slipway.schemas.registry.InMemorySchemaRegistry;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RecordPipelineTest {

    private static final Instant TAKEN_AT = Instant.parse("2026-11-22T10:00:00.250Z");
    private static final WhenExhausted<CommitReceived> DEAD_LETTER = WhenExhausted.deadLetter();

    private final List<String> deadLetters = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestClock clock = new TestClock(TAKEN_AT);
    private RetryBudget budget = new RetryBudget(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMillis(250));
    private final DeadLetterPublisher dlq = (record, reason, cause) ->
            deadLetters.add(reason + ":" + cause.getClass().getSimpleName());

    /** Waiting moves the clock on by the wait, as it would in real time. */
    private RecordPipeline pipeline(Deserializer<SpecificRecord> deserializer) {
        return new RecordPipeline(deserializer, dlq, budget, meters, duration -> {
            waits.add(duration);
            clock.advance(duration);
        }, clock);
    }

    private double counted(String outcome) {
        return meters.counter("slipway.records", "topic", "slipway.commits", "outcome", outcome).count();
    }

    private static ConsumerRecord<byte[], byte[]> record() {
        return new ConsumerRecord<>("slipway.commits", 0, 42L, "org/app".getBytes(), new byte[]{0, 0, 0, 0, 1});
    }

    private static ConsumerRecord<byte[], byte[]> recordAt(long offset, byte[] value) {
        return new ConsumerRecord<>("slipway.commits", 0, offset, "org/app".getBytes(), value);
    }

    static CommitReceived commitReceived() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        RunContext run = RunContext.newBuilder().setRunId("run-1").setAttempt(1)
                .setRepository(Repository.newBuilder().setFullName("org/app").setCloneUrl("https://example.org/org/app.git").build())
                .setCommit(Commit.newBuilder().setSha("a".repeat(40)).setRef("refs/heads/main").setMessage("m")
                        .setAuthorName("A").setTimestamp(now).build())
                .setTriggeredAt(now).build();
        return CommitReceived.newBuilder().setEventId("e-1").setRun(run).setSource("generic").setEmittedAt(now).build();
    }

    @Test
    void handsTheDecodedEventToTheHandler() {
        List<CommitReceived> handled = new ArrayList<>();

        boolean processed = pipeline((topic, data) -> commitReceived())
                .process(record(), CommitReceived.class, handled::add, DEAD_LETTER);

        assertThat(processed).isTrue();
        assertThat(handled).containsExactly(commitReceived());
        assertThat(deadLetters).isEmpty();
        assertThat(meters.counter("slipway.records", "topic", "slipway.commits", "outcome", "processed").count()).isEqualTo(1);
    }

    @Test
    void deadLettersAValueThatCannotBeDecodedWithoutRetrying() {
        boolean processed = pipeline((topic, data) -> {
            throw new SerializationException("Unknown magic byte");
        }).process(record(), CommitReceived.class, event -> {
            throw new AssertionError("must not be called");
        }, DEAD_LETTER);

        assertThat(processed).isFalse();
        assertThat(deadLetters).containsExactly("DESERIALIZATION:SerializationException");
        assertThat(waits).isEmpty();
    }

    @Test
    void deadLettersTheTenByteRecordDeclaringATwoBillionByteStringAndTheNextRecordIsProcessed() throws Exception {
        try (InMemorySchemaRegistry registry = InMemorySchemaRegistry.start()) {
            byte[] good = new AvroEventSerializer(registry.newClient()).serialize("slipway.commits", commitReceived());
            byte[] poison = PoisonPayloads.hugeString(PoisonPayloads.schemaIdOf(good));
            RecordPipeline pipeline = pipeline(new AvroEventDeserializer(registry.newClient()));
            List<CommitReceived> handled = new ArrayList<>();

            boolean first = pipeline.process(recordAt(42L, poison), CommitReceived.class, handled::add, DEAD_LETTER);
            boolean second = pipeline.process(recordAt(43L, good), CommitReceived.class, handled::add, DEAD_LETTER);

            assertThat(poison).hasSize(10);
            assertThat(first).isFalse();
            assertThat(second).isTrue();
            assertThat(deadLetters).containsExactly("DESERIALIZATION:SerializationException");
            assertThat(handled).containsExactly(commitReceived());
            assertThat(waits).isEmpty();
        }
    }

    @Test
    void deadLettersARecordWhoseDecodingThrowsAnError() {
        boolean processed = pipeline((topic, data) -> {
            throw new OutOfMemoryError("Java heap space");
        }).process(record(), CommitReceived.class, event -> {
            throw new AssertionError("must not be called");
        }, DEAD_LETTER);

        assertThat(processed).isFalse();
        assertThat(deadLetters).containsExactly("DESERIALIZATION:OutOfMemoryError");
        assertThat(counted("dead_lettered")).isEqualTo(1);
    }

    @Test
    void aThreadStoppedWhileDecodingIsNotTheRecordsFault() {
        assertThatThrownBy(() -> pipeline((topic, data) -> {
            throw new ThreadDeath();
        }).process(record(), CommitReceived.class, event -> { }, DEAD_LETTER)).isInstanceOf(ThreadDeath.class);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void anErrorWhileHandlingIsTheServicesFaultSoTheRecordStaysUncommitted() {
        assertThatThrownBy(() -> pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class,
                event -> {
                    throw new OutOfMemoryError("Java heap space");
                }, DEAD_LETTER)).isInstanceOf(OutOfMemoryError.class);
        assertThat(deadLetters).isEmpty();
        assertThat(waits).isEmpty();
    }

    @Test
    void deadLettersARecordWhoseHandlingOverflowsTheStack() {
        boolean processed = pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class,
                event -> {
                    throw new StackOverflowError();
                }, DEAD_LETTER);

        assertThat(processed).isFalse();
        assertThat(deadLetters).containsExactly("PROCESSING:StackOverflowError");
    }

    @Test
    void aRecordHandedBackWhileDecodingIsNeitherRetriedNorDeadLettered() {
        assertThatThrownBy(() -> pipeline((topic, data) -> {
            throw new RecordPipeline.RecordHandedBack("stopping", null);
        }).process(record(), CommitReceived.class, event -> { }, DEAD_LETTER))
                .isInstanceOf(RecordPipeline.RecordHandedBack.class);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void deadLettersAnEventOfTheWrongType() {
        ArtifactPublished other = ArtifactPublished.newBuilder().setEventId("e").setRun(commitReceived().getRun())
                .setKind(ArtifactKind.CONTAINER).setRegistry("r").setRepository("p").setDigest("sha256:0")
                .setTags(List.of()).setEmittedAt(Instant.now()).build();

        pipeline((topic, data) -> other).process(record(), CommitReceived.class, event -> { }, DEAD_LETTER);

        assertThat(deadLetters).containsExactly("UNEXPECTED_EVENT_TYPE:IllegalArgumentException");
    }

    @Test
    void deadLettersATombstone() {
        pipeline((topic, data) -> null).process(record(), CommitReceived.class, event -> { }, DEAD_LETTER);

        assertThat(deadLetters).containsExactly("UNEXPECTED_EVENT_TYPE:IllegalArgumentException");
    }

    @Test
    void retriesTransientHandlerFaultsWithExponentialBackoffUntilTheySucceed() {
        AtomicInteger calls = new AtomicInteger();

        boolean processed = pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            if (calls.incrementAndGet() < 4) {
                throw new TransientFailure("docker engine unreachable");
            }
        }, DEAD_LETTER);

        assertThat(processed).isTrue();
        assertThat(calls).hasValue(4);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void retriesWhenTheRegistryIsUnreachableWhileDecoding() {
        AtomicInteger calls = new AtomicInteger();

        boolean processed = pipeline((topic, data) -> {
            if (calls.incrementAndGet() == 1) {
                throw new SerializationException("registry down", new ConnectException("Connection refused"));
            }
            return commitReceived();
        }).process(record(), CommitReceived.class, event -> { }, DEAD_LETTER);

        assertThat(processed).isTrue();
        assertThat(waits).hasSize(1);
    }

    @Test
    void deadLettersWhenTransientFaultsOutlastTheBudgetOfAStageThatDeclaresTheDeadLetterTopic() {
        boolean processed = pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            throw new TransientFailure("registry 503");
        }, DEAD_LETTER);

        assertThat(processed).isFalse();
        assertThat(deadLetters).containsExactly("RETRIES_EXHAUSTED:TransientFailure");
        assertThat(counted("dead_lettered")).isEqualTo(1);
    }

    @Test
    void publishesTheStagesFailureOutcomeInsteadOfADeadLetterWhenTransientFaultsOutlastTheBudget() {
        budget = new RetryBudget(Duration.ofSeconds(1), Duration.ofMillis(400), Duration.ofSeconds(10));
        List<String> published = new ArrayList<>();
        List<RetriesExhausted> told = new ArrayList<>();

        boolean processed = pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            throw new TransientFailure("registry.example:5000 unreachable");
        }, WhenExhausted.publishFailure((event, exhausted) -> {
            told.add(exhausted);
            published.add("BuildFailed of " + event.getRun().getRunId());
        }));

        assertThat(processed).isTrue();
        assertThat(published).containsExactly("BuildFailed of run-1");
        assertThat(deadLetters).isEmpty();
        assertThat(waits).as("the last wait is cut to what is left of the budget")
                .containsExactly(Duration.ofMillis(400), Duration.ofMillis(600));
        RetriesExhausted exhausted = told.get(0);
        assertThat(exhausted.attempts()).isEqualTo(3);
        assertThat(exhausted.retriedFor()).isEqualTo(Duration.ofSeconds(1));
        assertThat(exhausted.lastFault()).hasMessage("registry.example:5000 unreachable");
        assertThat(exhausted.message())
                .isEqualTo("registry.example:5000 unreachable; still failing after retrying for 1s (3 attempts)");
        assertThat(counted("gave_up")).isEqualTo(1);
        assertThat(counted("processed")).isZero();
    }

    @Test
    void aFaultThatClearsWithinTheBudgetIsRiddenOutHoweverManyAttemptsThatTakes() {
        budget = new RetryBudget(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));
        Instant back = TAKEN_AT.plusSeconds(8);
        AtomicInteger calls = new AtomicInteger();

        boolean processed = pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            calls.incrementAndGet();
            if (clock.instant().isBefore(back)) {
                throw new TransientFailure("registry unreachable");
            }
        }, WhenExhausted.publishFailure((event, exhausted) -> {
            throw new AssertionError("the fault cleared within the budget");
        }));

        assertThat(processed).isTrue();
        assertThat(calls).as("far more than the five attempts a count allowed").hasValue(12);
        assertThat(deadLetters).isEmpty();
        assertThat(counted("processed")).isEqualTo(1);
    }

    @Test
    void theBudgetIsCountedInTimeSoSlowAttemptsGetFewerOfThem() {
        budget = new RetryBudget(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));
        AtomicInteger calls = new AtomicInteger();
        List<RetriesExhausted> told = new ArrayList<>();

        pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            calls.incrementAndGet();
            clock.advance(Duration.ofSeconds(4));
            throw new TransientFailure("push timed out");
        }, WhenExhausted.publishFailure((event, exhausted) -> told.add(exhausted)));

        assertThat(calls).hasValue(4);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(told).singleElement().satisfies(exhausted -> {
            assertThat(exhausted.attempts()).isEqualTo(4);
            assertThat(exhausted.retriedFor()).as("counted from the first fault, at the end of the first attempt")
                    .isEqualTo(Duration.ofMillis(12_700));
        });
    }

    @Test
    void aFailureOutcomeThatCannotBePublishedSendsTheRecordToTheDeadLetterTopic() {
        budget = new RetryBudget(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(100));

        boolean processed = pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            throw new TransientFailure("registry unreachable");
        }, WhenExhausted.publishFailure((event, exhausted) -> {
            throw new TransientFailure("broker unreachable");
        }));

        assertThat(processed).isFalse();
        assertThat(deadLetters).containsExactly("RETRIES_EXHAUSTED:TransientFailure");
        assertThat(waits).as("a budget of zero means no retry").isEmpty();
    }

    @Test
    void aRecordWhoseDecodingOutlastsTheBudgetIsDeadLetteredWhateverTheStageDeclared() {
        pipeline((topic, data) -> {
            throw new SerializationException("registry down", new ConnectException("Connection refused"));
        }).process(record(), CommitReceived.class, event -> {
            throw new AssertionError("never decoded");
        }, WhenExhausted.publishFailure((event, exhausted) -> {
            throw new AssertionError("there is no event to fail");
        }));

        assertThat(deadLetters).containsExactly("RETRIES_EXHAUSTED:SerializationException");
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(budget.budget());
    }

    @Test
    void deadLettersAPermanentHandlerErrorAtOnce() {
        pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            throw new IllegalStateException("cannot ever work");
        }, WhenExhausted.publishFailure((event, exhausted) -> {
            throw new AssertionError("a permanent error is not a spent budget");
        }));

        assertThat(deadLetters).containsExactly("PROCESSING:IllegalStateException");
        assertThat(waits).isEmpty();
    }

    @Test
    void leavesTheRecordUncommittedWhenInterruptedDuringBackoff() {
        RecordPipeline interrupted = new RecordPipeline((topic, data) -> commitReceived(), dlq, budget, meters,
                duration -> {
                    throw new InterruptedException("shutdown");
                }, clock);

        assertThatThrownBy(() -> interrupted.process(record(), CommitReceived.class, event -> {
            throw new TransientFailure("down");
        }, DEAD_LETTER)).isInstanceOf(RecordPipeline.RecordHandedBack.class);
        assertThat(deadLetters).isEmpty();
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void stoppingEndsAWaitForTheNextAttemptAndHandsTheRecordBackUncommitted() {
        budget = new RetryBudget(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(10));
        RecordPipeline pipeline = new RecordPipeline((topic, data) -> commitReceived(), dlq, budget, meters, null,
                Clock.systemUTC());
        CountDownLatch attempted = new CountDownLatch(1);
        CompletableFuture<Boolean> processing = CompletableFuture.supplyAsync(() -> pipeline.process(record(),
                CommitReceived.class, event -> {
                    attempted.countDown();
                    throw new TransientFailure("engine unreachable");
                }, DEAD_LETTER));
        await().until(() -> attempted.getCount() == 0);

        pipeline.stop();

        assertThatThrownBy(() -> processing.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RecordPipeline.RecordHandedBack.class)
                .hasMessageContaining("the service is stopping");
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aRecordTheStageHandsBackIsNeitherRetriedNorDeadLettered() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class,
                event -> {
                    calls.incrementAndGet();
                    throw new RecordPipeline.RecordHandedBack("build cancelled at shutdown",
                            new TransientFailure("cancelled"));
                }, DEAD_LETTER)).isInstanceOf(RecordPipeline.RecordHandedBack.class);
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void recordsTheHopFromTheProducersTimestampToTheMomentTheStageTakesTheRecord() {
        pipeline((topic, data) -> commitReceived()).process(record(TAKEN_AT.minusMillis(7).toEpochMilli()),
                CommitReceived.class, event -> { }, DEAD_LETTER);
        pipeline((topic, data) -> commitReceived()).process(record(TAKEN_AT.minusMillis(3).toEpochMilli()),
                CommitReceived.class, event -> { }, DEAD_LETTER);
        // No timestamp at all (-1) is not a hop of 1.7 billion seconds.
        pipeline((topic, data) -> commitReceived()).process(record(-1), CommitReceived.class, event -> { }, DEAD_LETTER);

        var hop = meters.get("slipway.hop").tag("topic", "slipway.commits").timer();
        assertThat(hop.count()).isEqualTo(2);
        assertThat(hop.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10.0);
        assertThat(hop.max(TimeUnit.MILLISECONDS)).isEqualTo(7.0);
    }

    @Test
    void publishesTheHopAsAPrometheusHistogramPerTopic() {
        var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        new RecordPipeline((topic, data) -> commitReceived(), dlq, budget, prometheus, waits::add, clock)
                .process(record(TAKEN_AT.minusMillis(4).toEpochMilli()), CommitReceived.class, event -> { }, DEAD_LETTER);

        String scrape = prometheus.scrape();

        assertThat(scrape).contains("slipway_hop_seconds_count{topic=\"slipway.commits\"} 1")
                .containsPattern("slipway_hop_seconds_bucket\\{topic=\"slipway.commits\",le=\"0\\.00[3-4][0-9]*\"} 0")
                .containsPattern("slipway_hop_seconds_bucket\\{topic=\"slipway.commits\",le=\"0\\.00[4-5][0-9]*\"} 1");
    }

    private static ConsumerRecord<byte[], byte[]> record(long timestamp) {
        return new ConsumerRecord<>("slipway.commits", 0, 42L, timestamp, TimestampType.CREATE_TIME, 7, 5,
                "org/app".getBytes(), new byte[]{0, 0, 0, 0, 1}, new RecordHeaders(), Optional.empty());
    }
    @Test
    void handsTheRecordBackAtOnceWhenASendInItsTransactionFailedInsteadOfSpendingTheBudget() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, new ByteArraySerializer(),
                new ByteArraySerializer());
        AtomicInteger attempts = new AtomicInteger();
        List<RuntimeException> thrown = new ArrayList<>();

        StageTransaction.within(producer, () -> {
            try {
                pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
                    attempts.incrementAndGet();
                    StageTransaction.currentProducer().orElseThrow()
                            .send(new ProducerRecord<>("slipway.images", "org/app".getBytes(), new byte[]{1}));
                    producer.errorNext(new NotLeaderOrFollowerException("the broker restarted"));
                    throw new TransientFailure("could not publish ImagesBuilt");
                }, WhenExhausted.publishFailure((event, exhausted) -> {
                    throw new AssertionError("no failure outcome for a doomed transaction");
                }));
            } catch (RuntimeException e) {
                thrown.add(e);
            }
        });

        assertThat(thrown).singleElement().isInstanceOf(RecordPipeline.RecordHandedBack.class)
                .satisfies(e -> assertThat(e).hasMessageContaining("can no longer commit")
                        .hasRootCauseInstanceOf(NotLeaderOrFollowerException.class));
        assertThat(attempts).hasValue(1);
        assertThat(waits).isEmpty();
        assertThat(deadLetters).isEmpty();
        assertThat(counted("retried")).isZero();
        assertThat(counted("handed_back")).isEqualTo(1);
    }

    @Test
    void handsTheRecordBackWhenTheHandlerSwallowedTheFailedSendOfItsTransaction() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, new ByteArraySerializer(),
                new ByteArraySerializer());
        List<RuntimeException> thrown = new ArrayList<>();

        StageTransaction.within(producer, () -> {
            try {
                pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
                    StageTransaction.currentProducer().orElseThrow()
                            .send(new ProducerRecord<>("slipway.images", "org/app".getBytes(), new byte[]{1}));
                    producer.errorNext(new KafkaException("the transaction is in an abortable error state"));
                }, DEAD_LETTER);
            } catch (RuntimeException e) {
                thrown.add(e);
            }
        });

        assertThat(thrown).singleElement().isInstanceOf(RecordPipeline.RecordHandedBack.class);
        assertThat(counted("processed")).isZero();
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void retriesAFaultOfTheStagesOwnWorkInsideAnOpenTransactionThatCanStillCommit() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, new ByteArraySerializer(),
                new ByteArraySerializer());
        AtomicInteger attempts = new AtomicInteger();
        boolean[] processed = new boolean[1];

        StageTransaction.within(producer, () -> processed[0] = pipeline((topic, data) -> commitReceived())
                .process(record(), CommitReceived.class, event -> {
                    StageTransaction.currentProducer().orElseThrow()
                            .send(new ProducerRecord<>("slipway.images", "org/app".getBytes(), new byte[]{1}));
                    if (attempts.incrementAndGet() < 3) {
                        throw new TransientFailure("registry answered 503");
                    }
                }, DEAD_LETTER));

        assertThat(processed[0]).isTrue();
        assertThat(attempts).hasValue(3);
        assertThat(waits).hasSize(2);
        assertThat(counted("retried")).isEqualTo(2);
        assertThat(counted("handed_back")).isZero();
    }
}

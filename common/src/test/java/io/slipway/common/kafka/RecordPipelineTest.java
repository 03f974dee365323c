package io.slipway.common.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slipway.events.ArtifactKind;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordPipelineTest {

    private final List<String> deadLetters = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private static final Instant TAKEN_AT = Instant.parse("2026-11-22T10:00:00.250Z");
    private final Clock clock = Clock.fixed(TAKEN_AT, java.time.ZoneOffset.UTC);
    private final RetryPolicy retry = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(250));
    private final DeadLetterPublisher dlq = (record, reason, cause) ->
            deadLetters.add(reason + ":" + cause.getClass().getSimpleName());

    private RecordPipeline pipeline(Deserializer<SpecificRecord> deserializer) {
        return new RecordPipeline(deserializer, dlq, retry, meters, waits::add, clock);
    }

    private static ConsumerRecord<byte[], byte[]> record() {
        return new ConsumerRecord<>("slipway.commits", 0, 42L, "org/app".getBytes(), new byte[]{0, 0, 0, 0, 1});
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
                .process(record(), CommitReceived.class, handled::add);

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
        });

        assertThat(processed).isFalse();
        assertThat(deadLetters).containsExactly("DESERIALIZATION:SerializationException");
        assertThat(waits).isEmpty();
    }

    @Test
    void deadLettersAnEventOfTheWrongType() {
        ArtifactPublished other = ArtifactPublished.newBuilder().setEventId("e").setRun(commitReceived().getRun())
                .setKind(ArtifactKind.CONTAINER).setRegistry("r").setRepository("p").setDigest("sha256:0")
                .setTags(List.of()).setEmittedAt(Instant.now()).build();

        pipeline((topic, data) -> other).process(record(), CommitReceived.class, event -> { });

        assertThat(deadLetters).containsExactly("UNEXPECTED_EVENT_TYPE:IllegalArgumentException");
    }

    @Test
    void deadLettersATombstone() {
        pipeline((topic, data) -> null).process(record(), CommitReceived.class, event -> { });

        assertThat(deadLetters).containsExactly("UNEXPECTED_EVENT_TYPE:IllegalArgumentException");
    }

    @Test
    void retriesTransientHandlerFaultsWithExponentialBackoffUntilTheySucceed() {
        AtomicInteger calls = new AtomicInteger();

        boolean processed = pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            if (calls.incrementAndGet() < 4) {
                throw new TransientFailure("docker engine unreachable");
            }
        });

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
        }).process(record(), CommitReceived.class, event -> { });

        assertThat(processed).isTrue();
        assertThat(waits).hasSize(1);
    }

    @Test
    void deadLettersWhenTransientFaultsOutlastTheRetryBudget() {
        AtomicInteger calls = new AtomicInteger();

        pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            calls.incrementAndGet();
            throw new TransientFailure("registry 503");
        });

        assertThat(calls).hasValue(retry.maxAttempts());
        assertThat(deadLetters).containsExactly("RETRIES_EXHAUSTED:TransientFailure");
    }

    @Test
    void deadLettersAPermanentHandlerErrorAtOnce() {
        pipeline((topic, data) -> commitReceived()).process(record(), CommitReceived.class, event -> {
            throw new IllegalStateException("cannot ever work");
        });

        assertThat(deadLetters).containsExactly("PROCESSING:IllegalStateException");
        assertThat(waits).isEmpty();
    }

    @Test
    void leavesTheRecordUncommittedWhenInterruptedDuringBackoff() {
        RecordPipeline interrupted = new RecordPipeline((topic, data) -> commitReceived(), dlq, retry, meters,
                duration -> {
                    throw new InterruptedException("shutdown");
                }, clock);

        assertThatThrownBy(() -> interrupted.process(record(), CommitReceived.class, event -> {
            throw new TransientFailure("down");
        })).isInstanceOf(RecordPipeline.RecordHandedBack.class);
        assertThat(deadLetters).isEmpty();
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void recordsTheHopFromTheProducersTimestampToTheMomentTheStageTakesTheRecord() {
        pipeline((topic, data) -> commitReceived()).process(record(TAKEN_AT.minusMillis(7).toEpochMilli()),
                CommitReceived.class, event -> { });
        pipeline((topic, data) -> commitReceived()).process(record(TAKEN_AT.minusMillis(3).toEpochMilli()),
                CommitReceived.class, event -> { });
        // No timestamp at all (-1) is not a hop of 1.7 billion seconds.
        pipeline((topic, data) -> commitReceived()).process(record(-1), CommitReceived.class, event -> { });

        var hop = meters.get("slipway.hop").tag("topic", "slipway.commits").timer();
        assertThat(hop.count()).isEqualTo(2);
        assertThat(hop.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(10.0);
        assertThat(hop.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(7.0);
    }

    @Test
    void publishesTheHopAsAPrometheusHistogramPerTopic() {
        var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        new RecordPipeline((topic, data) -> commitReceived(), dlq, retry, prometheus, waits::add, clock)
                .process(record(TAKEN_AT.minusMillis(4).toEpochMilli()), CommitReceived.class, event -> { });

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
    void backoffDoublesAndIsCapped() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(1));

        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffAfter(60)).isEqualTo(Duration.ofSeconds(1));
    }
}

package io.slipway.builder.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slipway.builder.domain.LogStream;
import io.slipway.events.LogChunk;
import io.slipway.events.Stage;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Kafka adapter of the log stream: records keyed by run id, and failures counted instead of thrown. */
class KafkaLogStreamTest {

    private static final Serializer<SpecificRecord> UNUSED = (topic, record) -> new byte[0];

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T20:00:00Z"), ZoneOffset.UTC);

    @AfterEach
    void stop() {
        sender.shutdownNow();
    }

    private static LogStream.Chunk chunk(long sequence) {
        return new LogStream.Chunk("run-9", 2, "org/app", sequence, "Step 1/1 : FROM scratch", false, false);
    }

    private double counted(String outcome) {
        return meters.counter("slipway.builder.log.chunks", "outcome", outcome).count();
    }

    @Test
    void sendsAChunkAsALogChunkOfTheBuildStageKeyedByRunId() throws Exception {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null, new StringSerializer(), UNUSED);
        KafkaLogStream stream = new KafkaLogStream(producer, sender, clock, meters, 8, Duration.ofSeconds(1));

        stream.send(chunk(4)).get(10, TimeUnit.SECONDS);

        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.LOGS);
            assertThat(record.key()).isEqualTo("run-9");
            assertThat(record.value()).isEqualTo(LogChunk.newBuilder().setRunId("run-9").setAttempt(2)
                    .setRepository("org/app").setStage(Stage.BUILD).setSequence(4)
                    .setText("Step 1/1 : FROM scratch").setLast(false).setTruncated(false)
                    .setEmittedAt(clock.instant()).build());
        });
        assertThat(counted("sent")).isEqualTo(1);
    }

    @Test
    void aChunkTheBrokerRefusesIsCountedAndCompletesWithoutAnError() throws Exception {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(false, null, new StringSerializer(), UNUSED);
        KafkaLogStream stream = new KafkaLogStream(producer, sender, clock, meters, 8, Duration.ofSeconds(1));

        CompletableFuture<Void> sent = stream.send(chunk(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        producer.errorNext(new TimeoutException("Expiring 1 record(s) for slipway.logs-0"));

        sent.get(10, TimeUnit.SECONDS);
        assertThat(sent).isCompletedWithValue(null);
        assertThat(counted("failed")).isEqualTo(1);
        assertThat(counted("sent")).isZero();
    }

    @Test
    void chunksBeyondTheQueueBoundAreDroppedAtOnceInsteadOfWaiting() {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(false, null, new StringSerializer(), UNUSED);
        ScheduledExecutorService stuck = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch release = new CountDownLatch(1);
        stuck.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        KafkaLogStream stream = new KafkaLogStream(producer, stuck, clock, meters, 2, Duration.ofSeconds(1));
        try {
            CompletableFuture<Void> first = stream.send(chunk(0));
            CompletableFuture<Void> second = stream.send(chunk(1));
            CompletableFuture<Void> third = stream.send(chunk(2));

            assertThat(third).isCompleted();
            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
            assertThat(counted("failed")).isEqualTo(1);
        } finally {
            release.countDown();
            stuck.shutdownNow();
        }
    }
}

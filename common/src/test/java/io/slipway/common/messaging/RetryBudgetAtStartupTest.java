package io.slipway.common.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.CommitReceived;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The retry budget as a service gets it: settings that cannot work stop the service at start-up, saying which setting
 * to change, and a stopping service does not sit out a wait for the next attempt.
 */
class RetryBudgetAtStartupTest {

    private static Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "slipway.schema-registry.url", "http://127.0.0.1:9",
                "slipway.kafka.create-topics", "false",
                "micronaut.server.port", "-1"));
        settings.putAll(extra);
        return settings;
    }

    private static RecordPipeline pipelineOf(Map<String, Object> extra) {
        try (ApplicationContext context = ApplicationContext.run(settings(extra))) {
            return context.getBean(RecordPipeline.class);
        }
    }

    @Test
    void startsWithABudgetItsConsumerCanWaitOut() {
        assertThat(pipelineOf(Map.of("slipway.kafka.retry-budget", "2m", "slipway.kafka.max-poll-records", "1")))
                .isNotNull();
    }

    @Test
    void refusesABudgetThatWouldGetItsConsumerEvictedInTheMiddleOfARetry() {
        assertThatThrownBy(() -> pipelineOf(Map.of("slipway.kafka.retry-budget", "2m")))
                .hasStackTraceContaining("the retry budget of 2m does not fit the consumer's poll interval")
                .hasStackTraceContaining("50 record(s) per poll");
    }

    @Test
    void aRecordWaitingForItsNextAttemptWhenTheServiceStopsIsHandedBackAtOnce() {
        ApplicationContext context = ApplicationContext.run(settings(Map.of("slipway.kafka.retry-budget", "2m",
                "slipway.kafka.max-poll-records", "1", "slipway.kafka.retry-initial-backoff", "1m",
                "slipway.kafka.retry-max-backoff", "1m")));
        RecordPipeline pipeline = context.getBean(RecordPipeline.class);
        // Schema id 1 in the wire format: decoding asks the schema registry, which is unreachable.
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("slipway.commits", 0, 0L, new byte[0],
                new byte[]{0, 0, 0, 0, 1, 2});
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> pipeline.process(record,
                CommitReceived.class, event -> { }, WhenExhausted.deadLetter()));
        await().atMost(Duration.ofSeconds(30)).until(() -> context.getBean(MeterRegistry.class)
                .counter("slipway.records", "topic", "slipway.commits", "outcome", "retried").count() == 1);

        context.close();

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RecordPipeline.RecordHandedBack.class);
    }

    @Test
    void refusesTheAttemptCountTheBudgetReplacedAndNamesTheReplacement() {
        assertThatThrownBy(() -> pipelineOf(Map.of("slipway.kafka.retry-attempts", "10")))
                .hasStackTraceContaining("SLIPWAY_KAFKA_RETRY_ATTEMPTS is no longer read")
                .hasStackTraceContaining("SLIPWAY_KAFKA_RETRY_BUDGET");
        assertThatThrownBy(() -> pipelineOf(Map.of("slipway.build.retry.attempts", "5")))
                .hasStackTraceContaining("SLIPWAY_BUILD_RETRY_ATTEMPTS is no longer read");
    }
}

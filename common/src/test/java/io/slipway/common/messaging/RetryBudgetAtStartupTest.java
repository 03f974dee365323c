package io.slipway.common.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.RetryBudget;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.events.CommitReceived;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The retry budget as a service gets it: settings that cannot work stop the service at start-up, saying which stage
 * and setting to change, and a stopping service does not sit out a wait for the next attempt.
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

    private static void requireFits(Map<String, Object> extra, Batching batching) {
        try (ApplicationContext context = ApplicationContext.run(settings(extra))) {
            StageLoops.requireBudgetFits(context.getBean(RetryBudget.class),
                    new StageSubscription("a-stage", List.of("slipway.commits"), 1, batching),
                    context.getBean(SlipwayKafkaProperties.class));
        }
    }

    @Test
    void startsWithABudgetItsStageCanWaitOutWhateverItsRecordsPerPoll() {
        Map<String, Object> twoMinutes = Map.of("slipway.kafka.retry-budget", "2m",
                "slipway.kafka.max-poll-records", "500", "slipway.kafka.transaction-timeout-ms", "180000");

        assertThatCode(() -> requireFits(twoMinutes, Batching.PER_RECORD)).doesNotThrowAnyException();
        assertThatCode(() -> requireFits(twoMinutes, Batching.PER_POLL)).doesNotThrowAnyException();
    }

    @Test
    void refusesABudgetThatWouldGetItsConsumerEvictedInTheMiddleOfARetry() {
        assertThatThrownBy(() -> requireFits(Map.of("slipway.kafka.retry-budget", "3m"), Batching.PER_RECORD))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("stage a-stage: the retry budget of 3m does not fit the consumer's poll interval");
    }

    @Test
    void refusesABudgetThatWouldOutlastASharedTransactionButNotWhenEachRecordHasItsOwn() {
        Map<String, Object> twoMinutes = Map.of("slipway.kafka.retry-budget", "2m");

        assertThatThrownBy(() -> requireFits(twoMinutes, Batching.PER_POLL))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("stage a-stage: the retry budget of 2m does not fit the stage's transaction timeout");
        assertThatCode(() -> requireFits(twoMinutes, Batching.PER_RECORD)).doesNotThrowAnyException();
    }

    @Test
    void aServiceWhoseStageCannotWaitOutItsBudgetDoesNotStart() {
        assertThatThrownBy(() -> ApplicationContext.run(settings(Map.of("retry-budget-test.stage", "true",
                "slipway.kafka.retry-budget", "3m"))).close())
                .hasStackTraceContaining("stage retry-budget-test: the retry budget of 3m does not fit");
    }

    @Test
    void aRecordWaitingForItsNextAttemptWhenTheServiceStopsIsHandedBackAtOnce() {
        ApplicationContext context = ApplicationContext.run(settings(Map.of("slipway.kafka.retry-budget", "2m",
                "slipway.kafka.retry-initial-backoff", "1m",
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

    /** A stage present only in the test that asks for it, so the other tests' contexts start no worker. */
    @Singleton
    @Requires(property = "retry-budget-test.stage", value = "true")
    static class AStage implements StageListener {

        @Override
        public StageSubscription subscription() {
            return new StageSubscription("retry-budget-test", List.of("slipway.commits"), 1, Batching.PER_RECORD);
        }

        @Override
        public void receive(ConsumerRecord<byte[], byte[]> record) {
        }
    }
}

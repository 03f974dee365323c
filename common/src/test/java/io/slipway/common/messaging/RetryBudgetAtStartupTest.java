package io.slipway.common.messaging;

import io.micronaut.context.ApplicationContext;
import io.slipway.common.kafka.RecordPipeline;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service whose retry settings cannot work refuses to start, and says which setting to change. */
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
    void refusesTheAttemptCountTheBudgetReplacedAndNamesTheReplacement() {
        assertThatThrownBy(() -> pipelineOf(Map.of("slipway.kafka.retry-attempts", "10")))
                .hasStackTraceContaining("SLIPWAY_KAFKA_RETRY_ATTEMPTS is no longer read")
                .hasStackTraceContaining("SLIPWAY_KAFKA_RETRY_BUDGET");
        assertThatThrownBy(() -> pipelineOf(Map.of("slipway.build.retry.attempts", "5")))
                .hasStackTraceContaining("SLIPWAY_BUILD_RETRY_ATTEMPTS is no longer read");
    }
}

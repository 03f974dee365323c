package io.slipway.trigger.messaging;

import io.micronaut.context.ApplicationContext;
import io.slipway.devstack.testing.SharedDevStack;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stopped commits tail answers at once that it will never catch up, instead of letting a caller (a closing
 * instance's rebalance callback, which holds the intake partitions meanwhile) wait for its whole timeout.
 */
class CommitsTailStopTest {

    private final SharedDevStack stack = SharedDevStack.get();

    @Test
    void aCatchUpAskedOfAStoppedTailFailsAsStoppedNotAsATimeout() {
        CommitsTail tail;
        try (ApplicationContext context = ApplicationContext.run(WebhooksThroughKafkaTest.triggerConfig(stack))) {
            tail = context.getBean(CommitsTail.class);
            tail.awaitCaughtUp(Duration.ofSeconds(30));
            assertThat(tail.following()).isTrue();
        }

        assertThat(tail.following()).isFalse();
        assertThatThrownBy(() -> tail.awaitCaughtUp(Duration.ofMinutes(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tail has stopped");
    }
}

package io.slipway.trigger.messaging;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.trigger.WebhookClient;
import io.slipway.trigger.adapter.http.WebhookController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook that waits for Kafka waits on the request executor, not on a Netty event loop: with a single event-loop
 * thread, the server still answers other requests while one push is held.
 */
class RequestsOffTheEventLoopTest {

    private ApplicationContext context;
    private HeldIntake intake;

    @AfterEach
    void stop() {
        if (intake != null) {
            intake.release();
        }
        if (context != null) {
            context.close();
        }
    }

    @Test
    void theServerAnswersOtherRequestsWhileAPushWaitsForKafka() throws Exception {
        Map<String, Object> config = WebhooksThroughKafkaTest.triggerConfig(SharedDevStack.get());
        config.put("test.held-intake", "true");
        config.put("micronaut.netty.event-loops.default.num-threads", 1);
        config.put("micronaut.server.netty.worker.threads", 1);
        context = ApplicationContext.run(config);
        WebhookClient client = new WebhookClient(context.getBean(EmbeddedServer.class).start().getURI());
        intake = context.getBean(HeldIntake.class);
        String held = "test/held-" + UUID.randomUUID().toString().substring(0, 8);
        String free = "test/free-" + UUID.randomUUID().toString().substring(0, 8);

        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> client.pushGeneric(held, "refs/heads/main", "a".repeat(40), "m"));
        assertThat(intake.awaitHolding()).as("the held push reached the intake").isTrue();

        HttpResponse<String> other = client.pushGeneric(free, "refs/heads/main", "b".repeat(40), "m");

        assertThat(other.statusCode()).isEqualTo(202);
        assertThat(waiting).isNotDone();
        intake.release();
        assertThat(waiting.get().statusCode()).isEqualTo(202);
        assertThat(intake.threadOf(held).getName()).startsWith(WebhookController.EXECUTOR)
                .doesNotContainIgnoringCase("eventloop");
    }
}

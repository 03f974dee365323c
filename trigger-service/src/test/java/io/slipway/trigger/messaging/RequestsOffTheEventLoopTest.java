package io.slipway.trigger.messaging;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.trigger.WebhookClient;
import io.slipway.trigger.adapter.http.RequestPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A webhook that waits for Kafka holds no thread, neither a Netty event loop nor a request thread: with a single
 * event-loop thread and a single request thread, the server still answers other requests while one push waits for its
 * acknowledgement; the requests waiting are bounded.
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

    /** Starts the trigger with a held intake and these settings, and returns a client of its server. */
    private WebhookClient start(Map<String, Object> settings) {
        Map<String, Object> config = WebhooksThroughKafkaTest.triggerConfig(SharedDevStack.get());
        config.put("test.held-intake", "true");
        config.putAll(settings);
        context = ApplicationContext.run(config);
        intake = context.getBean(HeldIntake.class);
        return new WebhookClient(context.getBean(EmbeddedServer.class).start().getURI());
    }

    @Test
    void theServerAnswersOtherRequestsWhileAPushWaitsForKafka() throws Exception {
        WebhookClient client = start(Map.of("micronaut.netty.event-loops.default.num-threads", 1,
                "micronaut.server.netty.worker.threads", 1, "slipway.trigger.requests.threads", 1));
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
        assertThat(intake.threadOf(held).getName()).startsWith(RequestPool.THREADS)
                .doesNotContainIgnoringCase("eventloop");
    }

    @Test
    void aRequestBeyondTheRequestsInFlightIsAnswered503WithRetryAfter() throws Exception {
        WebhookClient client = start(Map.of("slipway.trigger.requests.threads", 1,
                "slipway.trigger.requests.in-flight", 2));
        RequestPool pool = context.getBean(RequestPool.class);
        String first = "test/held-" + UUID.randomUUID().toString().substring(0, 8);
        String second = "test/held-" + UUID.randomUUID().toString().substring(0, 8);

        CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(
                () -> client.pushGeneric(first, "refs/heads/main", "a".repeat(40), "m"));
        CompletableFuture<HttpResponse<String>> two = CompletableFuture.supplyAsync(
                () -> client.pushGeneric(second, "refs/heads/main", "b".repeat(40), "m"));
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.inFlight() == 2 && intake.threadOf(first) != null
                && intake.threadOf(second) != null);

        HttpResponse<String> refused = client.pushGeneric("test/free-" + UUID.randomUUID().toString().substring(0, 8),
                "refs/heads/main", "c".repeat(40), "m");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("30");
        assertThat(refused.body()).contains("redeliver");
        intake.release();
        assertThat(one.get().statusCode()).isEqualTo(202);
        assertThat(two.get().statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.inFlight() == 0);
    }
}

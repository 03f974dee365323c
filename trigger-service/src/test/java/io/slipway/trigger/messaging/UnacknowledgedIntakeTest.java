package io.slipway.trigger.messaging;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.messaging.SlipwayKafkaFactory;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.trigger.WebhookClient;
import io.slipway.trigger.adapter.http.RequestPool;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker that takes the intake records and never acknowledges them: each push is answered 503 once the send timeout
 * has passed, and meanwhile the pushes hold no thread, so the server answers other requests at once.
 */
class UnacknowledgedIntakeTest {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    private ApplicationContext context;

    /** Replaces the service's publisher by one whose producer never hears from the broker again. */
    @Factory
    @Requires(property = "test.unacknowledged-intake", value = "true")
    static class NeverAcknowledged {

        @Singleton
        @Replaces(bean = EventPublisher.class, factory = SlipwayKafkaFactory.class)
        EventPublisher events(SlipwayKafkaProperties kafka) {
            MockProducer<String, SpecificRecord> producer = new MockProducer<>(false, new StringSerializer(),
                    (topic, event) -> new byte[0]);
            return new EventPublisher(producer, kafka.sendTimeout());
        }
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aPushKafkaNeverAcknowledgesIsAnswered503AfterTheSendTimeoutWhileOtherRequestsAreServed() throws Exception {
        Map<String, Object> config = WebhooksThroughKafkaTest.triggerConfig(SharedDevStack.get());
        config.put("test.unacknowledged-intake", "true");
        config.put("slipway.kafka.send-timeout", SEND_TIMEOUT.toMillis() + "ms");
        config.put("micronaut.netty.event-loops.default.num-threads", 1);
        config.put("micronaut.server.netty.worker.threads", 1);
        config.put("slipway.trigger.requests.threads", 1);
        context = ApplicationContext.run(config);
        WebhookClient client = new WebhookClient(context.getBean(EmbeddedServer.class).start().getURI());
        RequestPool pool = context.getBean(RequestPool.class);

        long sent = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> unacknowledged = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String repository = "test/lost-" + UUID.randomUUID().toString().substring(0, 8);
            unacknowledged.add(CompletableFuture.supplyAsync(
                    () -> client.pushGeneric(repository, "refs/heads/main", "a".repeat(40), "m")));
        }
        await().atMost(SEND_TIMEOUT).until(() -> pool.inFlight() == 4 && pool.waiting() == 0);

        HttpResponse<String> other = client.pushGeneric("elsewhere/app", "refs/heads/main", "b".repeat(40), "m");

        assertThat(other.statusCode()).as("answered by the only request thread while four pushes wait for Kafka")
                .isEqualTo(404);
        assertThat(unacknowledged).as("answered before the send timeout").noneMatch(CompletableFuture::isDone);
        for (CompletableFuture<HttpResponse<String>> push : unacknowledged) {
            HttpResponse<String> answer = push.get();
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("could not record the push, please redeliver")
                    .contains("not acknowledged within " + SEND_TIMEOUT.toMillis() + " ms");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(SEND_TIMEOUT);
        await().atMost(SEND_TIMEOUT).until(() -> pool.inFlight() == 0);
    }
}

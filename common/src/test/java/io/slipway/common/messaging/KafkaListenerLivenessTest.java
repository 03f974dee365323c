package io.slipway.common.messaging;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.slipway.common.kafka.SlipwayListener;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.devstack.testing.SharedDevStack;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through a real broker: a listener whose poll loop is ended by an {@link Error} (as an OutOfMemoryError from decoding
 * ends it) turns {@code /health} DOWN with HTTP 503, naming the listener and the error, with no record needed after it.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaListenerLivenessTest implements TestPropertyProvider {

    private static final String TOPIC = "test.liveness." + UUID.randomUUID();

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        SharedDevStack stack = SharedDevStack.get();
        stack.createTopic(TOPIC, 1);
        Map<String, String> props = new HashMap<>(SlipwayTestProperties.against(stack));
        props.put("kafka-listener-liveness-test.topic", TOPIC);
        return props;
    }

    @Requires(property = "kafka-listener-liveness-test.topic")
    @SlipwayListener("kafka-listener-liveness-test")
    static class DyingListener {
        @Topic("${kafka-listener-liveness-test.topic}")
        void on(ConsumerRecord<byte[], byte[]> record) {
            throw new OutOfMemoryError("Java heap space (" + new String(record.value(), StandardCharsets.UTF_8) + ")");
        }
    }

    @Test
    void healthIsDownWithTheListenerAndItsErrorOnceItsPollLoopDied() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> health = health();
            assertThat(health.getStatus().getCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"liveness\"").contains("kafka listener ").contains("polling");
        });

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedDevStack.get().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "poison".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> health = health();
            assertThat(health.getStatus().getCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"liveness\":{")
                    .contains("thread died: java.lang.OutOfMemoryError: Java heap space (poison)");
        });
    }

    private HttpResponse<String> health() {
        try {
            return http.toBlocking().exchange(HttpRequest.GET("/health"), String.class);
        } catch (HttpClientResponseException e) {
            return HttpResponse.status(e.getStatus()).body(e.getResponse().getBody(String.class).orElse(""));
        }
    }
}

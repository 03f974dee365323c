package io.slipway.common.testing;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.schemas.Topics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every Slipway service must do before it has any behaviour: start against a real broker and schema
 * registry, create the pipeline topics and their dead-letter topics, report UP on /health with Kafka among the
 * checks, and expose Prometheus metrics, the details and metrics to the holder of the management token only. Each
 * service runs it by extending this class.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceStartsContract implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        return SlipwayTestProperties.against(SharedDevStack.get());
    }

    /** A GET carrying the management token, as operators and {@code ./slipway status} send it. */
    protected static MutableHttpRequest<?> withToken(String path) {
        return HttpRequest.GET(path).bearerAuth(SlipwayTestProperties.MANAGEMENT_TOKEN);
    }

    @Test
    void answersHealthUpWithKafkaChecked() {
        HttpResponse<String> response = http.toBlocking().exchange(withToken("/health"), String.class);

        assertThat(response.getStatus().getCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("kafka");
    }

    @Test
    void reportsItsStageWorkersPollingOnHealth() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                http.toBlocking().retrieve(withToken("/health"), String.class))
                .contains("\"liveness\":{").contains("\"stage ").contains("\"state\":\"polling\""));
    }

    @Test
    void answersAnonymousHealthWithTheStatusOnly() {
        HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.GET("/health"), String.class);

        assertThat(response.getStatus().getCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void exposesPrometheusMetricsToTheTokenOnly() {
        String body = http.toBlocking().retrieve(withToken("/prometheus"), String.class);

        assertThat(body).contains("jvm_memory_used_bytes");
        assertThatThrownBy(() -> http.toBlocking().retrieve(HttpRequest.GET("/prometheus"), String.class))
                .isInstanceOfSatisfying(HttpClientResponseException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(401));
    }

    @Test
    void createsPipelineAndDeadLetterTopicsAtStartup() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedDevStack.get().bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic : Topics.allTopics()) {
                assertThat(names).contains(topic, Topics.deadLetter(topic));
            }
        }
    }
}

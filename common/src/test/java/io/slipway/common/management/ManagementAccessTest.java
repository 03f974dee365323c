package io.slipway.common.management;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a service's HTTP port tells whom, through a real embedded server: the status of {@code /health} to anyone,
 * its details, {@code /prometheus} and {@code /reports} only to the holder of the management token.
 */
class ManagementAccessTest {

    private static final String TOKEN = "management-test-token";
    private final HttpClient http = HttpClient.newHttpClient();

    private static EmbeddedServer server(String token, String probeStatus) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "kafka.health.enabled", "false",
                "slipway.schema-registry.url", "http://127.0.0.1:9",
                "slipway.kafka.create-topics", "false",
                "micronaut.server.port", "-1",
                "management-test.probe", probeStatus));
        if (token != null) {
            settings.put("slipway.management.token", token);
        }
        return ApplicationContext.run(EmbeddedServer.class, settings);
    }

    private HttpResponse<String> get(EmbeddedServer server, String path, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(EmbeddedServer server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anonymousHealthAnswersTheStatusOnly() throws Exception {
        try (EmbeddedServer server = server(TOKEN, "UP")) {
            HttpResponse<String> response = get(server, "/health", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void anonymousHealthOfADownServiceIs503WithoutTheReason() throws Exception {
        try (EmbeddedServer server = server(TOKEN, "DOWN")) {
            HttpResponse<String> anonymous = get(server, "/health", null);
            HttpResponse<String> withToken = get(server, "/health", "Bearer " + TOKEN);

            assertThat(anonymous.statusCode()).isEqualTo(503);
            assertThat(anonymous.body()).isEqualTo("{\"status\":\"DOWN\"}");
            assertThat(withToken.statusCode()).isEqualTo(503);
            assertThat(withToken.body()).contains("management-probe").contains("the probe says so");
        }
    }

    @Test
    void theTokenShowsHealthDetails() throws Exception {
        try (EmbeddedServer server = server(TOKEN, "UP")) {
            HttpResponse<String> response = get(server, "/health", "Bearer " + TOKEN);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"UP\"").contains("management-probe");
        }
    }

    @Test
    void metricsAndReportsNeedTheToken() throws Exception {
        try (EmbeddedServer server = server(TOKEN, "UP")) {
            for (String path : new String[]{"/prometheus", "/reports/run-1/1"}) {
                HttpResponse<String> anonymous = get(server, path, null);

                assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
                assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue(ManagementAccessFilter.CHALLENGE);
                assertThat(anonymous.body()).contains("send the management token");
            }
            assertThat(get(server, "/prometheus", "Bearer " + TOKEN).body()).contains("jvm_memory_used_bytes");
            assertThat(get(server, "/reports/run-1/1", "Bearer " + TOKEN).body()).isEqualTo("<testsuites/>");
        }
    }

    @Test
    void aWrongTokenIsRefusedEverywhere() throws Exception {
        try (EmbeddedServer server = server(TOKEN, "UP")) {
            for (String path : new String[]{"/health", "/prometheus", "/reports/run-1/1"}) {
                HttpResponse<String> response = get(server, path, "Bearer " + TOKEN + "x");

                assertThat(response.statusCode()).as(path).isEqualTo(401);
                assertThat(response.body()).as(path).contains("is not the management token")
                        .doesNotContain("management-probe").doesNotContain("testsuites");
            }
        }
    }

    @Test
    void withoutAConfiguredTokenMetricsAreRefusedSayingWhy() throws Exception {
        try (EmbeddedServer server = server(null, "UP")) {
            HttpResponse<String> metrics = get(server, "/prometheus", "Bearer guess");
            HttpResponse<String> health = get(server, "/health", null);

            assertThat(metrics.statusCode()).isEqualTo(401);
            assertThat(metrics.body()).contains("no management token is configured").contains("SLIPWAY_MANAGEMENT_TOKEN");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void noOtherSpellingOfAGuardedPathGetsPastTheToken() throws Exception {
        try (EmbeddedServer server = server(TOKEN, "UP")) {
            for (String path : new String[]{"/prometheus/", "//prometheus", "/%70rometheus", "/./prometheus",
                    "/prometheus;x=1", "/prometheus?x=1", "/reports/run-1/../run-1/1", "/%72eports/run-1/1",
                    "/health/", "/%68ealth"}) {
                HttpResponse<String> response = get(server, path, null);

                assertThat(response.body()).as(path + " answered " + response.statusCode()).doesNotContain("jvm_memory").doesNotContain("testsuites")
                        .doesNotContain("management-probe");
            }
        }
    }

    @Test
    void micronautsOtherManagementEndpointsServeNobody() throws Exception {
        try (EmbeddedServer server = server(TOKEN, "UP")) {
            for (String path : new String[]{"/beans", "/env", "/loggers", "/routes", "/threaddump", "/caches"}) {
                assertThat(get(server, path, null).statusCode()).as(path).isIn(401, 403, 404);
                assertThat(get(server, path, "Bearer " + TOKEN).statusCode()).as(path).isIn(401, 403, 404);
            }
            assertThat(post(server, "/refresh").statusCode()).isIn(401, 403, 404, 405);
            assertThat(post(server, "/stop").statusCode()).isIn(401, 403, 404, 405);
        }
    }

    @Test
    void theServiceListensOnLoopbackUnlessToldOtherwise() {
        try (EmbeddedServer server = server(TOKEN, "UP")) {
            assertThat(server.getHost()).isEqualTo("127.0.0.1");
        }
    }

    /** A health check whose status the test sets, with a reason in its details. */
    @Singleton
    @Requires(property = "management-test.probe")
    static final class Probe implements HealthIndicator {

        private final String status;

        Probe(@Value("${management-test.probe}") String status) {
            this.status = status;
        }

        @Override
        public Publisher<HealthResult> getResult() {
            return Publishers.just(HealthResult.builder("management-probe", new HealthStatus(status))
                    .details(Map.of("reason", "the probe says so")).build());
        }
    }

    /** Stands in for the tester's report endpoint, which lives under the same guarded path. */
    @Controller("/reports")
    @Requires(property = "management-test.probe")
    static final class Reports {

        @Get(uri = "/{runId}/{attempt}", produces = MediaType.APPLICATION_XML)
        String report(String runId, int attempt) {
            return "<testsuites/>";
        }
    }
}

package io.slipway.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.dashboard.store.MetricsRows;
import io.slipway.devstack.testing.SharedDevStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics page and its JSON over HTTP, on the service's own database: known figures from inserted rows, 400 for a
 * period or repository it does not know, and names from events escaped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsControllerTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String APP = "acme/app-" + SUFFIX;
    private static final String HOSTILE = "evil/<script>alert(1)</script>-" + SUFFIX;

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedServer server;

    @BeforeAll
    void start() {
        String url = MetricsRows.memoryUrl();
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(SharedDevStack.get()));
        config.put("datasources.default.url", url);
        config.put("slipway.dashboard.production", "production");
        server = ApplicationContext.run(EmbeddedServer.class, config);
        MetricsRows rows = new MetricsRows(url);
        // Two production deployments of APP today: lead times 1h and 3h → nearest-rank median 1h, p95 3h.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        rows.deployment("production", APP, "r1", now.minusSeconds(3600), now.minusSeconds(1800), now, null);
        rows.deployment("production", APP, "r2", now.minusSeconds(3 * 3600), now.minusSeconds(600), now,
                null);
        rows.deployment("staging", APP, "r3", now, now, now, null);
        rows.deployment("production", HOSTILE, "x1", now.minusSeconds(60), now, now, null);
        rows.failure(APP, "r2", "DEPLOY", "SMOKE_FAILED", "production", now);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void jsonGivesTheFiguresOfThePeriod() throws Exception {
        HttpResponse<String> response = get("/metrics.json?period=7d&repository=" + APP);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode json = new ObjectMapper().readTree(response.body());
        JsonNode overall = json.get("overall");
        assertThat(json.get("period").asText()).isEqualTo("7d");
        assertThat(json.get("repository").asText()).isEqualTo(APP);
        // 2 production deployments over 7 days (staging ignored)
        assertThat(overall.at("/deploymentFrequency/deployments").asInt()).isEqualTo(2);
        assertThat(overall.at("/deploymentFrequency/perDay").asDouble()).isEqualTo(2 / 7.0);
        assertThat(overall.at("/leadTime/fromCommitSeconds/median").asLong()).isEqualTo(3600);
        assertThat(overall.at("/leadTime/fromCommitSeconds/p95").asLong()).isEqualTo(3 * 3600);
        // r2 failed its smoke check in production and nothing restored it yet
        assertThat(overall.at("/changeFailureRate/rate").asDouble()).isEqualTo(0.5);
        assertThat(overall.at("/timeToRestore/failures").asInt()).isEqualTo(1);
        assertThat(overall.at("/timeToRestore/medianSeconds").isNull()).isTrue();
        assertThat(json.get("days")).hasSize(7);
        assertThat(json.at("/pipeline/failureReasons/0/reason").asText()).isEqualTo("SMOKE_FAILED");
    }

    @Test
    void pageShowsTheFiguresTheirBandsAndCharts() throws Exception {
        HttpResponse<String> response = get("/metrics?period=30d&repository=" + APP);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("<title>Delivery metrics · Slipway</title>")
                .contains("id=\"deployment-frequency\"", "id=\"lead-time\"", "id=\"change-failure-rate\"",
                        "id=\"time-to-restore\"")
                .contains("data-band=\"low\"")
                .contains("<svg class=\"chart\"", "<rect class=\"bar\"", "<polyline class=\"line\"")
                .contains("/metrics?period=30d&amp;repository=acme%2Fapp-" + SUFFIX)
                .contains("SMOKE_FAILED");
    }

    @Test
    void namesFromEventsAreEscaped() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("evil/&lt;script&gt;alert(1)&lt;/script&gt;-" + SUFFIX)
                .doesNotContain("<script>alert(1)");
    }

    @Test
    void anUnknownPeriodIsRefusedWith400() throws Exception {
        HttpResponse<String> page = get("/metrics?period=1y");
        HttpResponse<String> json = get("/metrics.json?period=%3Cb%3E");

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("period must be 7d, 30d or 90d, not &#39;1y&#39;");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(json.body()).get("error").asText())
                .isEqualTo("period must be 7d, 30d or 90d, not '<b>'");
    }

    @Test
    void aRepositoryThatIsNotANameIsRefusedWith400AndEscaped() throws Exception {
        HttpResponse<String> page = get("/metrics?repository=" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("is not a repository name").doesNotContain("<script>alert(1)");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

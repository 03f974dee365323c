package io.slipway.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dashboard-service started by {@code ./slipway up} beside the other services, as the seventh process: it logs in to
 * Kafka as its own principal, keeps its embedded database in the stack's directory and stays healthy while a push
 * goes through the pipeline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardEndToEndTest {

    private SlipwayStack slipway;

    @BeforeAll
    void startSlipway() {
        slipway = SlipwayStack.start(Map.of("SLIPWAY_DASHBOARD_ENABLED", "true"));
    }

    @AfterAll
    void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void theDashboardRunsBesideThePipelineWithItsDatabaseInTheStacksDirectory() {
        SampleRepository app = slipway.repository("e2e/dashboard-app", false);
        SampleRepository.Push push = app.push();

        slipway.events().awaitPublished(push.runId());

        HttpResponse<String> health = slipway.dashboard("/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(slipway.status()).containsPattern("dashboard-service +\\d+ +healthy +http://127\\.0\\.0\\.1:"
                + slipway.port("dashboard-service") + "/health");
        assertThat(slipway.home().resolve("dashboard/slipway.mv.db")).as("the embedded database under SLIPWAY_HOME")
                .isRegularFile();
    }
}

package io.slipway.tester;

import io.slipway.common.testing.ServiceStartsContract;
import io.slipway.tester.config.TesterProperties;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The tester-service starts, creates its topics, and answers on /health and /prometheus; its defaults bind. */
class TesterServiceStartsTest extends ServiceStartsContract {

    @Inject
    TesterProperties properties;

    @Test
    void bindsTheDocumentedDefaults() {
        assertThat(properties.testTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.memory()).isEqualTo("512m");
        assertThat(properties.serviceNetwork()).isEqualTo("bridge");
        assertThat(properties.publicUrl()).isEqualTo("http://127.0.0.1:8083");
        assertThat(properties.policies().nonRootUser()).isEqualTo("fail");
        assertThat(properties.policies().healthcheck()).isEqualTo("warn");
        assertThat(properties.policies().warningThreshold()).isEqualTo(-1);
        assertThat(properties.policies().secretEnvNames())
                .isEqualTo("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)");
    }
}

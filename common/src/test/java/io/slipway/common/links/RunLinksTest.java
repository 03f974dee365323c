package io.slipway.common.links;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunLinksTest {

    @Test
    void theRunPageAndReportAreUnderTheDashboardWithTheAttempt() {
        assertThat(RunLinks.runPage("https://ci.example.com/", "3f2a", 2)).isEqualTo("https://ci.example.com/runs/3f2a/2");
        assertThat(RunLinks.report("https://ci.example.com", "3f2a", 2))
                .isEqualTo("https://ci.example.com/runs/3f2a/2/report.xml");
    }

    @Test
    void withoutADashboardUrlTheLocalDashboardIsLinked() {
        assertThat(RunLinks.runPage(" ", "r", 1)).isEqualTo("http://127.0.0.1:8087/runs/r/1");
    }

    @Test
    void aRunIdCannotLeaveItsPathSegment() {
        assertThat(RunLinks.fill("https://ci/runs/{runId}/{attempt}", "../x y?z", 1))
                .isEqualTo("https://ci/runs/..%2Fx%20y%3Fz/1");
    }
}

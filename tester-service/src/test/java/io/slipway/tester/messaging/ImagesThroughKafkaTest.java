package io.slipway.tester.messaging;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.events.BuildFailed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Stage;
import io.slipway.events.SuiteResult;
import io.slipway.events.TestsPassed;
import io.slipway.tester.support.StagedImages;
import io.slipway.tester.support.TesterRuns;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * tester-service through a real broker, schema registry, Docker engine and image registry: each ImageBuilt becomes
 * exactly one TestsPassed or BuildFailed (stage TEST), and the JUnit report is served where the event says, to the
 * holder of the management token only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesThroughKafkaTest {

    private static final String MANAGEMENT = "Bearer " + SlipwayTestProperties.MANAGEMENT_TOKEN;

    private final StagedImages staged = StagedImages.get();
    private final TesterRuns runs = new TesterRuns();
    private final String instance = "kafka-test-" + UUID.randomUUID().toString().substring(0, 8);
    private ApplicationContext tester;

    @TempDir
    static Path reports;

    private int port;

    @BeforeAll
    void start() {
        port = LoopbackPorts.free();
        tester = ApplicationContext.run(runs.config(instance, reports, port));
        tester.getBean(EmbeddedServer.class).start();
    }

    @AfterAll
    void stop() {
        tester.close();
        assertThat(staged.containersOf(instance)).isEmpty();
    }

    private SpecificRecord onlyOutcomeOf(ImageBuilt event) {
        List<SpecificRecord> outcomes = runs.outcomesOf(event, Duration.ofSeconds(90));
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0);
    }

    @Test
    void aPassingImageBecomesTestsPassedWithItsSuitesAndItsReportOnTheReportsTopic() throws Exception {
        ImageBuilt event = runs.publish(staged.sample(), "busybox_test.yaml");

        TestsPassed passed = (TestsPassed) onlyOutcomeOf(event);

        assertThat(passed.getRun()).isEqualTo(event.getRun());
        assertThat(passed.getImage()).isEqualTo(event.getImage());
        assertThat(passed.getDeploy()).isEqualTo(TesterRuns.DEPLOY_INTENT);
        assertThat(passed.getSuites()).extracting(SuiteResult::getName, SuiteResult::getOrigin, SuiteResult::getPassed,
                SuiteResult::getFailed).containsExactly(
                tuple("tests/busybox_test.yaml", "APPLICATION", 20, 0),
                tuple("builtin:cis-docker-benchmark-4", "PROVIDER", 4, 0));
        assertThat(passed.getSuites().get(0).getDurationMillis()).isPositive();
        String runId = event.getRun().getRunId();
        assertThat(passed.getReportLocation()).as("people read it on the dashboard's run page")
                .isEqualTo(TesterRuns.DASHBOARD_URL + "/runs/" + runId + "/1/report.xml");
        assertThat(runs.reportsOf(event)).singleElement().satisfies(report -> {
            assertThat(report.getRun()).isEqualTo(event.getRun());
            assertThat(report.getPassed()).isTrue();
            assertThat(report.getTruncated()).isFalse();
            assertThat(report.getJunitXml()).contains("<testsuite name=\"tests/busybox_test.yaml\"");
        });
        URI kept = URI.create("http://127.0.0.1:" + port + "/reports/" + runId + "/1");
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(kept).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(kept)
                .header("Authorization", MANAGEMENT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("xml"));
        assertThat(report.body()).contains("<testsuite name=\"tests/busybox_test.yaml\"");
        HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(kept.toString().replaceFirst("/1$", "/7"))).header("Authorization", MANAGEMENT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void aFailingTestBecomesBuildFailedListingTheAssertionAndPublishesItsReport() {
        ImageBuilt event = runs.publish(staged.sample(), "failing_command.yaml");

        BuildFailed failed = (BuildFailed) onlyOutcomeOf(event);

        assertThat(failed.getRun()).isEqualTo(event.getRun());
        assertThat(failed.getStage()).isEqualTo(Stage.TEST);
        assertThat(failed.getReasonCode()).isEqualTo("TESTS_FAILED");
        assertThat(failed.getRetryable()).isFalse();
        assertThat(failed.getLogExcerpt()).contains("FAIL [APPLICATION tests/failing_command.yaml] Command Test: "
                + "wrong greeting — stdout: expected to match 'goodbye', actual 'hello\n'", "Full report (JUnit XML): "
                + TesterRuns.DASHBOARD_URL + "/runs/" + event.getRun().getRunId() + "/1/report.xml");
        assertThat(runs.reportsOf(event)).singleElement().satisfies(report -> {
            assertThat(report.getPassed()).isFalse();
            assertThat(report.getJunitXml()).contains("<failure", "wrong greeting");
        });
    }
}

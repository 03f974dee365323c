package io.slipway.tester.adapter.openstack;

import io.slipway.openstack.OpenStackApiDouble;
import io.slipway.openstack.OpenStackCloud;
import io.slipway.openstack.OpenStackSettings;
import io.slipway.openstack.OpenStackVmTester;
import io.slipway.openstack.SweepReport;
import io.slipway.openstack.VmCheck;
import io.slipway.openstack.VmCheckResult;
import io.slipway.openstack.VmTestReport;
import io.slipway.openstack.VmTestRequest;
import io.slipway.openstack.VmTester;
import io.slipway.openstack.VmTesterSettings;
import io.slipway.tester.domain.ImagePolicies;
import io.slipway.tester.domain.ImageRef;
import io.slipway.tester.domain.Outcome;
import io.slipway.tester.domain.Outcome.Reason;
import io.slipway.tester.domain.Severity;
import io.slipway.tester.domain.StructureTests;
import io.slipway.tester.domain.SuiteFile;
import io.slipway.tester.domain.SuiteParser;
import io.slipway.tester.domain.SuiteReport;
import io.slipway.tester.domain.TestRequest;
import io.slipway.tester.domain.TesterService;
import io.slipway.tester.domain.VmImageTester;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** VM images through {@link TesterService} and {@link OpenStackVmSuites}: a recording VM tester, and the API double. */
class VmTestingTest {

    private static final String IMAGE_ID = "5c6f7a2e-8d0b-4c61-9f3a-2b7e4d1c9a80";
    private static final String SUITE = """
            schemaVersion: '2.0.0'
            globalEnvVars:
            - {key: MODE, value: ci}
            commandTests:
            - {name: nginx, command: nginx, args: ['-v'], expectedError: ['nginx/1\\.']}
            - {name: broken, command: 'false'}
            - name: with setup
              setup: [['touch', '/x']]
              command: 'true'
            fileExistenceTests:
            - {name: config, path: /etc/nginx/nginx.conf, shouldExist: true, permissions: '-rw-r--r--', uid: 0}
            fileContentTests:
            - {name: motd, path: /etc/motd, expectedContents: ['Welcome']}
            metadataTest:
              exposedPorts: ['80']
            """;

    private final Map<String, String> stored = new HashMap<>();
    private final List<VmTestRequest> requests = new ArrayList<>();

    private TesterService tester(VmImageTester vm) {
        return new TesterService((ref, runId) -> {
            throw new AssertionError("no container engine for VM images");
        }, new SuiteParser(Duration.ofSeconds(5)), new StructureTests(Duration.ofSeconds(5)),
                new ImagePolicies(new ImagePolicies.Settings(Severity.FAIL, Severity.FAIL, Severity.FAIL, Severity.FAIL,
                        "PASSWORD")), List::of, (runId, attempt, xml) -> {
                    stored.put(runId + "/" + attempt, xml);
                    return "http://tester/reports/" + runId + "/" + attempt;
                }, -1, Clock.fixed(Instant.parse("2025-03-14T09:30:00Z"), ZoneOffset.UTC), vm);
    }

    private static TestRequest vmRequest(String imageId, String... suites) {
        List<SuiteFile> files = new ArrayList<>();
        for (int i = 0; i < suites.length; i++) {
            files.add(new SuiteFile("tests/vm" + i + ".yaml", suites[i]));
        }
        return new TestRequest("run-1", 1, new ImageRef("http://glance/image", "acme-web-3f2c1a9b0c1d", imageId), false,
                files);
    }

    /** Answers every check, failing those {@code fails} selects. */
    private VmTester recording(Predicate<VmCheck> fails) {
        return new VmTester() {
            @Override
            public VmTestReport test(VmTestRequest request) {
                requests.add(request);
                return new VmTestReport(request.imageId(), request.checks().stream().map(c -> new VmCheckResult(
                        c.name(), !fails.test(c), fails.test(c) ? "exit code 1, expected 0" : "passed",
                        Duration.ofMillis(3))).toList(), Duration.ofSeconds(42));
            }

            @Override
            public SweepReport sweep() {
                return new SweepReport(List.of(), List.of(), List.of());
            }
        };
    }

    @Test
    void suitesMapToVmChecksAndWhatDoesNotApplyIsSkipped() {
        Outcome outcome = tester(new OpenStackVmSuites(recording(c -> false)))
                .test(vmRequest(IMAGE_ID, SUITE.replace("- {name: broken, command: 'false'}\n", "")));

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.imageId()).isEqualTo(IMAGE_ID);
            assertThat(request.checks()).hasSize(3);
            VmCheck.Command nginx = (VmCheck.Command) request.checks().get(0);
            assertThat(nginx.command()).containsExactly("env", "MODE=ci", "nginx", "-v");
            assertThat(nginx.expectedError()).containsExactly("nginx/1\\.");
            assertThat(request.checks().get(1)).isInstanceOfSatisfying(VmCheck.FileExists.class, f -> {
                assertThat(f.path()).isEqualTo("/etc/nginx/nginx.conf");
                assertThat(f.permissions()).isEqualTo("-rw-r--r--");
            });
            assertThat(request.checks().get(2)).isInstanceOf(VmCheck.FileContent.class);
        });
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Passed.class, passed -> {
            assertThat(passed.reportLocation()).isEqualTo("http://tester/reports/run-1/1");
            assertThat(passed.suites()).singleElement().satisfies(suite -> {
                assertThat(suite.passed()).isEqualTo(3);
                assertThat(suite.cases()).filteredOn(c -> c.status() == SuiteReport.Status.SKIPPED)
                        .extracting(SuiteReport.TestCase::name).containsExactly("Command Test: with setup",
                                "File Existence Test: config (uid/gid/isExecutableBy)", "Metadata Test");
            });
        });
        assertThat(stored.get("run-1/1")).contains("Metadata Test").contains("skipped");
    }

    @Test
    void aFailingCheckFailsTheRunLikeAContainerTest() {
        Outcome outcome = tester(new OpenStackVmSuites(recording(c -> c instanceof VmCheck.Command command
                && command.command().contains("false")))).test(vmRequest(IMAGE_ID, SUITE));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.TESTS_FAILED);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.excerpt()).contains("Command Test: broken");
        });
    }

    @Test
    void serviceTestsBecomePortAndHttpChecks() {
        String suite = """
                schemaVersion: '2.0.0'
                serviceTests:
                - name: web
                  port: 8080
                  http:
                  - {path: /health, expectedStatus: 200}
                """;
        tester(new OpenStackVmSuites(recording(c -> false))).test(vmRequest(IMAGE_ID, suite));

        assertThat(requests.get(0).checks()).extracting(c -> c.getClass().getSimpleName())
                .containsExactly("PortListening", "HttpResponds");
        assertThat(((VmCheck.HttpResponds) requests.get(0).checks().get(1)))
                .extracting(VmCheck.HttpResponds::url, VmCheck.HttpResponds::status)
                .containsExactly("http://127.0.0.1:8080/health", 200);
    }

    @Test
    void anImageGlanceDoesNotKnowIsABuildFailureOnTheApiDouble() throws Exception {
        try (OpenStackApiDouble api = new OpenStackApiDouble()) {
            Map<String, String> environment = new HashMap<>(api.environment());
            environment.put("SLIPWAY_OPENSTACK_TEST_FLAVOR", OpenStackApiDouble.FLAVOR);
            String queued = "0b0b0b0b-0000-4000-8000-000000000000";
            VmTester vmTester = new OpenStackVmTester(new OpenStackCloud(OpenStackSettings.fromEnvironment(environment)),
                    VmTesterSettings.fromEnvironment(environment));

            Outcome outcome = tester(new OpenStackVmSuites(vmTester)).test(vmRequest(queued, SUITE));

            assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(Reason.IMAGE_NOT_FOUND);
                assertThat(failed.retryable()).isFalse();
                assertThat(failed.message()).contains(queued);
            });
            assertThat(api.servers()).isEmpty();
        }
    }

    @Test
    void withoutOpenStackAVmImageIsAConfigurationFailure() {
        Outcome.Failed failed = (Outcome.Failed) tester(null).test(vmRequest(IMAGE_ID, SUITE));

        assertThat(failed).extracting(Outcome.Failed::reason, Outcome.Failed::retryable)
                .containsExactly(Reason.CONFIG_INVALID, false);
    }
}

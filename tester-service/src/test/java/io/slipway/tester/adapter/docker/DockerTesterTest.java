package io.slipway.tester.adapter.docker;

import com.sun.net.httpserver.HttpServer;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.testing.DockerTestImages;
import io.slipway.container.DockerEngine;
import io.slipway.container.SlipwayLabels;
import io.slipway.schemas.Fixtures;
import io.slipway.tester.adapter.files.FileReportStore;
import io.slipway.tester.adapter.files.PolicyDirectory;
import io.slipway.tester.domain.ContainerEngine;
import io.slipway.tester.domain.ImagePolicies;
import io.slipway.tester.domain.ImageRef;
import io.slipway.tester.domain.Origin;
import io.slipway.tester.domain.Outcome;
import io.slipway.tester.domain.Severity;
import io.slipway.tester.domain.StructureTests;
import io.slipway.tester.domain.SuiteFile;
import io.slipway.tester.domain.SuiteParser;
import io.slipway.tester.domain.SuiteReport;
import io.slipway.tester.domain.TestRequest;
import io.slipway.tester.domain.TesterService;
import io.slipway.tester.support.StagedImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tester against a real Docker engine and a real registry with htpasswd auth: images are pulled by digest and
 * every suite runs in containers of exactly that digest, which are gone when the run ends.
 */
class DockerTesterTest {

    private static final ImagePolicies.Settings DEFAULT_POLICIES = new ImagePolicies.Settings(Severity.FAIL,
            Severity.WARN, Severity.FAIL, Severity.FAIL, "(PASSWORD|SECRET|TOKEN)");

    private final StagedImages staged = StagedImages.get();
    private final String instance = "docker-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger opened = new AtomicInteger();

    @TempDir
    Path reports;

    @AfterEach
    void noContainerIsLeftBehind() {
        assertThat(staged.containersOf(instance)).isEmpty();
    }

    private DockerContainerEngine engine(String dockerHost, String password) {
        return engine(dockerHost, new DockerContainerEngine.Registry(staged.registry().host(), StagedImages.USER,
                password));
    }

    private DockerContainerEngine engine(String dockerHost, DockerContainerEngine.Registry registry) {
        return new DockerContainerEngine(DockerEngine.connect(dockerHost, Duration.ofSeconds(60)),
                new DockerContainerEngine.Limits(256L * 1024 * 1024, 1.0, 128, "bridge", true, 1024 * 1024), registry,
                instance, Duration.ofMinutes(2));
    }

    private TesterService tester(ImagePolicies.Settings policies, int threshold, Path policyDir, Duration timeout) {
        return tester(policies, threshold, policyDir, timeout, new SuiteParser(Duration.ofSeconds(20)));
    }

    private TesterService tester(ImagePolicies.Settings policies, int threshold, Path policyDir, Duration timeout,
                                 SuiteParser parser) {
        ContainerEngine engine = engine(null, StagedImages.PASSWORD);
        ContainerEngine counting = (image, runId) -> {
            opened.incrementAndGet();
            return engine.open(image, runId);
        };
        return new TesterService(counting, parser, new StructureTests(timeout),
                new ImagePolicies(policies), new PolicyDirectory(policyDir),
                new FileReportStore(reports, "http://tester.example:8083"), threshold, Clock.systemUTC());
    }

    private Outcome test(ImageRef image, String... suites) {
        return tester(DEFAULT_POLICIES, -1, null, Duration.ofSeconds(30)).test(request(image, suites));
    }

    private static TestRequest request(ImageRef image, String... suites) {
        return new TestRequest(UUID.randomUUID().toString(), 1, image, true,
                Arrays.stream(suites).map(s -> new SuiteFile(s, StagedImages.suite(s))).toList());
    }

    private static Outcome.Failed failed(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        return (Outcome.Failed) outcome;
    }

    @Test
    void passesWhenEverySuiteAndPolicyHoldsAndStoresTheJUnitReport() throws Exception {
        Outcome outcome = test(staged.sample(), "busybox_test.yaml");

        assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(Outcome.Passed.class);
        Outcome.Passed passed = (Outcome.Passed) outcome;
        SuiteReport application = passed.suites().get(0);
        assertThat(application.origin()).isEqualTo(Origin.APPLICATION);
        assertThat(application.passed()).isEqualTo(20);
        assertThat(application.failed()).isZero();
        assertThat(passed.suites().get(1).name()).isEqualTo(ImagePolicies.SUITE);
        assertThat(passed.suites().get(1).passed()).isEqualTo(4);
        assertThat(passed.reportLocation()).startsWith("http://tester.example:8083/reports/");
        String xml = Files.readString(Files.walk(reports).filter(Files::isRegularFile).findFirst().orElseThrow());
        assertThat(xml).contains("<testsuite name=\"busybox_test.yaml\" tests=\"20\" failures=\"0\"")
                .contains("Service Test: web › GET /").contains("Metadata Test");
    }

    @Test
    void aFailingCommandTestFailsTheRunListingEachAssertion() {
        Outcome.Failed failed = failed(test(staged.sample(), "failing_command.yaml"));

        assertThat(failed.reason()).isEqualTo(Outcome.Reason.TESTS_FAILED);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.message()).startsWith("1 of 6 tests failed against " + staged.sample().reference());
        assertThat(failed.excerpt()).contains(
                "FAIL [APPLICATION failing_command.yaml] Command Test: wrong greeting — stderr: expected not to match 'warning', actual 'warning\n'",
                "Command Test: wrong greeting — stdout: expected to match 'goodbye', actual 'hello\n'",
                "Command Test: wrong greeting — exit code: expected 0, actual 2",
                "Full report (JUnit XML): http://tester.example:8083/reports/");
    }

    @Test
    void aFailingFileTestFailsTheRun() {
        Outcome.Failed failed = failed(test(staged.sample(), "failing_file.yaml"));

        assertThat(failed.reason()).isEqualTo(Outcome.Reason.TESTS_FAILED);
        assertThat(failed.excerpt()).contains("File Existence Test: Fake Dir — /foo/bar: expected to exist, actual no such file",
                "File Existence Test: Wrong permissions — /etc/app.conf permissions: expected -rwxrwxrwx, actual -rw-r--r--",
                "File Content Test: Wrong content — /etc/app.conf content: expected to match 'greeting=goodbye', actual 'greeting=hello\n'");
    }

    @Test
    void aFailingMetadataTestFailsTheRun() {
        Outcome.Failed failed = failed(test(staged.sample(), "failing_metadata.yaml"));

        assertThat(failed.excerpt()).contains("Metadata Test — env var APP_MODE: expected 'development', actual 'production'",
                "Metadata Test — label com.example.vendor: expected 'ACME Incorporated', actual not set",
                "Metadata Test — entrypoint: expected [], actual [httpd, -f, -p, 8080, -h, /www]",
                "Metadata Test — user: expected root, actual '1000:1000'");
    }

    @Test
    void aServiceThatNeverOpensItsPortFailsAtTheDeadlineAndSkipsItsChecks() {
        long start = System.nanoTime();
        Outcome.Failed failed = failed(test(staged.sample(), "service_never_listens.yaml"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        SuiteReport suite = failed.suites().get(0);
        assertThat(suite.cases()).extracting(SuiteReport.TestCase::name, SuiteReport.TestCase::status).containsExactly(
                tuple("Service Test: wrong port › port 9999 listening", SuiteReport.Status.FAILED),
                tuple("Service Test: wrong port › GET /", SuiteReport.Status.SKIPPED));
        assertThat(failed.excerpt()).contains("port 9999: expected listening within 2000 ms, actual not listening");
    }

    @Test
    void aServiceTestAskingForAHundredHoursIsClampedAndTheStageKeepsFlowing() {
        SuiteParser parser = new SuiteParser(new SuiteParser.Limits(Duration.ofSeconds(20), Duration.ofSeconds(3), 10,
                100));
        TesterService tester = tester(DEFAULT_POLICIES, -1, null, Duration.ofSeconds(30), parser);
        long start = System.nanoTime();

        Outcome.Failed clamped = failed(tester.test(request(staged.sample(), "service_startup_100h.yaml")));
        Outcome next = tester.test(request(staged.sample(), "busybox_test.yaml"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(clamped.reason()).isEqualTo(Outcome.Reason.TESTS_FAILED);
        assertThat(clamped.excerpt()).contains("Service Test: forever › port 9999 listening — port 9999: expected "
                + "listening within 3000 ms, actual not listening");
        SuiteReport.TestCase port = clamped.suites().get(0).cases().get(0);
        assertThat(port.output()).startsWith("startupTimeout 100h is above this tester's maximum; clamped to 3s");
        assertThat(next).as("the next image is tested as usual").isInstanceOf(Outcome.Passed.class);
    }

    @Test
    void aCommandTestRunsOnAReadOnlyRootWithABoundedTmpfs() {
        Outcome outcome = test(staged.sample(), "read_only_root.yaml");

        assertThat(outcome).as(outcome.toString()).isInstanceOf(Outcome.Passed.class);
    }

    @Test
    void aCommandPastItsDeadlineIsKilledAndFails() {
        Outcome.Failed failed = failed(tester(DEFAULT_POLICIES, -1, null, Duration.ofSeconds(1))
                .test(request(staged.sample(), "slow.yaml")));

        assertThat(failed.excerpt()).contains("Command Test: takes a while — deadline: expected to finish within 1s");
    }

    @Test
    void builtInPoliciesAtFailSeverityStopAnUnsafeImage() {
        Outcome.Failed failed = failed(test(staged.unsafe()));

        assertThat(failed.reason()).isEqualTo(Outcome.Reason.POLICY_VIOLATION);
        assertThat(failed.excerpt()).contains(
                "FAIL [PROVIDER builtin:cis-docker-benchmark-4] CIS 4.1 runs as a non-root user — USER: expected a non-root user, actual none set (runs as root)",
                "CIS 4.8 no setuid/setgid files — /usr/local/bin/su-helper: expected no setuid/setgid bit, actual urwxr-xr-x",
                "CIS 4.10 no secrets in environment variables — ENV DB_PASSWORD: expected no secret-looking variable, actual set (value not shown)",
                "WARN [PROVIDER builtin:cis-docker-benchmark-4] CIS 4.6 has a HEALTHCHECK");
        assertThat(failed.excerpt()).doesNotContain("hunter2");
    }

    @Test
    void policiesAtWarnSeverityLetTheImagePassUntilTheWarningThreshold() {
        ImagePolicies.Settings warn = new ImagePolicies.Settings(Severity.WARN, Severity.WARN, Severity.WARN,
                Severity.WARN, "PASSWORD");

        Outcome tolerated = tester(warn, 4, null, Duration.ofSeconds(30)).test(request(staged.unsafe()));
        Outcome exceeded = tester(warn, 3, null, Duration.ofSeconds(30)).test(request(staged.unsafe()));

        assertThat(tolerated).isInstanceOf(Outcome.Passed.class);
        assertThat(((Outcome.Passed) tolerated).warnings()).isEqualTo(4);
        assertThat(failed(exceeded).reason()).isEqualTo(Outcome.Reason.POLICY_VIOLATION);
        assertThat(failed(exceeded).message()).startsWith("4 warnings exceed the threshold of 3");
    }

    @Test
    void providerSuitesFromThePolicyDirectoryApplyToEveryImage(@TempDir Path policies) throws Exception {
        Files.writeString(policies.resolve("labels.yaml"), """
                schemaVersion: '2.0.0'
                metadataTest:
                  labels:
                  - key: 'org.opencontainers.image.title'
                    value: '.+'
                    isRegex: true
                """);
        TesterService tester = tester(DEFAULT_POLICIES, -1, policies, Duration.ofSeconds(30));

        Outcome sample = tester.test(request(staged.sample()));
        Outcome.Failed unsafe = failed(tester.test(request(staged.unsafe())));

        assertThat(((Outcome.Passed) sample).suites()).extracting(SuiteReport::name, SuiteReport::origin)
                .contains(tuple("policy/labels.yaml", Origin.PROVIDER));
        assertThat(unsafe.excerpt()).contains("FAIL [PROVIDER policy/labels.yaml] Metadata Test — label "
                + "org.opencontainers.image.title: expected to match '.+', actual not set");
    }

    @Test
    void anInvalidSuiteFileIsConfigInvalidAndStartsNoContainer() {
        Outcome.Failed failed = failed(test(staged.sample(), "busybox_test.yaml", "invalid.yaml"));

        assertThat(failed.reason()).isEqualTo(Outcome.Reason.CONFIG_INVALID);
        assertThat(failed.message()).isEqualTo("1 suite file(s) cannot be run as written: invalid.yaml");
        assertThat(failed.excerpt()).contains("invalid.yaml line 5: key 'commandTests[0].expectedOuput' is unknown");
        assertThat(opened).hasValue(0);
    }

    @Test
    void upstreamsFailureSuiteFailsOnBusyboxAsItDoesOnUbuntu() {
        TestRequest request = new TestRequest(UUID.randomUUID().toString(), 1, staged.sample(), true, List.of(
                new SuiteFile("ubuntu_22_04_failure_test.yaml", Fixtures.text(
                        "container-structure-test/upstream-tests/ubuntu_22_04_failure_test.yaml"))));

        Outcome.Failed failed = failed(tester(DEFAULT_POLICIES, -1, null, Duration.ofSeconds(30)).test(request));

        SuiteReport suite = failed.suites().get(0);
        assertThat(suite.cases()).hasSize(8);
        // Only 'path' holds here: the busybox image's PATH is Docker's default, the one the file expects.
        assertThat(suite.cases()).filteredOn(c -> c.status() == SuiteReport.Status.PASSED)
                .extracting(SuiteReport.TestCase::name).containsExactly("Command Test: path");
    }

    @Test
    void anUnknownDigestIsImageUnavailable() {
        ImageRef missing = new ImageRef(staged.sample().registry(), staged.sample().repository(), "sha256:" + "0".repeat(64));

        Outcome.Failed failed = failed(test(missing));

        assertThat(failed.reason()).isEqualTo(Outcome.Reason.IMAGE_UNAVAILABLE);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.message()).contains("the registry has no image " + missing.reference());
    }

    @Test
    void refusedCredentialsAreImageUnavailableAndRetryable() {
        DockerContainerEngine wrongPassword = engine(null, "wrong");
        staged.docker().listImagesCmd().withReferenceFilter(staged.sample().name()).exec()
                .forEach(i -> staged.docker().removeImageCmd(i.getId()).withForce(true).exec());

        assertThatThrownBy(() -> wrongPassword.open(staged.sample(), "run"))
                .isInstanceOfSatisfying(ContainerEngine.ImageUnavailable.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("refused").doesNotContain("wrong");
                });
    }

    @Test
    void imagesOutsideTheStagingRegistryAreRefusedSoCredentialsStayThere() {
        DockerContainerEngine engine = engine(null, new DockerContainerEngine.Registry(staged.registry().host(),
                StagedImages.USER, StagedImages.PASSWORD));
        ImageRef elsewhere = new ImageRef("registry.example.org", "evil/app", staged.sample().digest());

        assertThatThrownBy(() -> engine.open(elsewhere, "run"))
                .isInstanceOf(ContainerEngine.RegistryNotAllowed.class)
                .hasMessageContaining("is not in the staging registry " + staged.registry().host());
    }

    @Test
    void anImageNamingAnotherRegistryGetsNoRequestAndNoCredentialsFromTheTester() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attacker.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Authorization="
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"attacker\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        attacker.start();
        try {
            ImageRef planted = new ImageRef("127.0.0.1:" + attacker.getAddress().getPort(), "staging/sample",
                    staged.sample().digest());
            DockerContainerEngine configured = engine(null, new DockerContainerEngine.Registry(
                    staged.registry().host(), StagedImages.USER, StagedImages.PASSWORD));
            DockerContainerEngine unconfigured = engine(null, new DockerContainerEngine.Registry(null,
                    StagedImages.USER, StagedImages.PASSWORD));

            assertThatThrownBy(() -> configured.open(planted, "run"))
                    .isInstanceOf(ContainerEngine.RegistryNotAllowed.class);
            assertThatThrownBy(() -> unconfigured.open(planted, "run"))
                    .isInstanceOf(ContainerEngine.RegistryNotAllowed.class)
                    .hasMessageContaining("no staging registry is configured (SLIPWAY_STAGING_REGISTRY)");
            assertThat(received).as("requests the planted registry received").isEmpty();
        } finally {
            attacker.stop(0);
        }
    }

    @Test
    void anUnreachableRegistryOrEngineIsATransientFailure() {
        ImageRef nowhere = new ImageRef("127.0.0.1:1", "staging/sample", staged.sample().digest());

        assertThatThrownBy(() -> engine(null, new DockerContainerEngine.Registry("127.0.0.1:1", null, null))
                .open(nowhere, "run")).isInstanceOf(TransientFailure.class).hasMessageContaining("127.0.0.1:1");
        assertThatThrownBy(() -> engine("unix:///nonexistent/docker.sock", StagedImages.PASSWORD).open(staged.sample(), "run"))
                .isInstanceOf(TransientFailure.class);
    }

    @Test
    void theStartupSweepRemovesThisInstancesLeftoversOnly() {
        var docker = staged.docker();
        String base = DockerTestImages.busybox();
        String mine = docker.createContainerCmd(base).withCmd("true").withLabels(Map.of(SlipwayLabels.MANAGED, "tester",
                DockerContainerEngine.INSTANCE_LABEL, instance)).exec().getId();
        String other = docker.createContainerCmd(base).withCmd("true").withLabels(Map.of(SlipwayLabels.MANAGED, "tester",
                DockerContainerEngine.INSTANCE_LABEL, instance + "-other")).exec().getId();
        try {
            assertThat(staged.containersOf(instance)).containsExactly(mine);

            int swept = engine(null, StagedImages.PASSWORD).sweep(Duration.ofHours(2));

            assertThat(swept).isGreaterThanOrEqualTo(1);
            assertThat(staged.containersOf(instance)).isEmpty();
            assertThat(staged.containersOf(instance + "-other")).containsExactly(other);
        } finally {
            docker.removeContainerCmd(other).withForce(true).exec();
        }
    }
}

package io.slipway.tester.domain;

import io.slipway.common.requests.RequestStates.Staleness;
import io.slipway.common.testing.ManualStalenessWatch;
import io.slipway.tester.domain.ImageUnderTest.Exec;
import io.slipway.tester.domain.Outcome.Reason;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The tester's decision from suite results to outcome, with the image and report store in memory. */
class TesterServiceTest {

    private static final ImageRef IMAGE = new ImageRef("registry:5000", "staging/app", "sha256:" + "a".repeat(64));
    private static final String PASSING = "schemaVersion: '2.0.0'\ncommandTests:\n- {name: ok, command: 'true'}\n";
    private static final String FAILING = "schemaVersion: '2.0.0'\ncommandTests:\n- {name: bad, command: 'false'}\n";

    private final FakeImage image = new FakeImage();
    private final List<SuiteFile> provider = new ArrayList<>();
    private final Map<String, String> stored = new HashMap<>();
    private int opened;

    private TesterService tester(int warningThreshold, Severity healthcheck) {
        image.exec = argv -> new Exec(argv.get(0).equals("false") ? 1 : 0, "", "", false);
        ContainerEngine engine = (ref, runId) -> {
            opened++;
            return image;
        };
        return new TesterService(engine, new SuiteParser(Duration.ofSeconds(5)), new StructureTests(Duration.ofSeconds(5)),
                new ImagePolicies(new ImagePolicies.Settings(Severity.FAIL, healthcheck, Severity.FAIL, Severity.FAIL,
                        "PASSWORD")), () -> provider, (runId, attempt, xml) -> {
                    stored.put(runId + "/" + attempt, xml);
                    return "http://tester/reports/" + runId + "/" + attempt;
                }, warningThreshold, Clock.fixed(Instant.parse("2025-03-14T09:30:00Z"), ZoneOffset.UTC));
    }

    private static TestRequest request(String... suites) {
        List<SuiteFile> files = new ArrayList<>();
        for (int i = 0; i < suites.length; i++) {
            files.add(new SuiteFile("tests/suite" + i + ".yaml", suites[i]));
        }
        return new TestRequest("run-1", 2, IMAGE, true, files);
    }

    @Test
    void passesWithPerSuiteCountsAndTheReportLocation() {
        Outcome outcome = tester(-1, Severity.FAIL).test(request(PASSING));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Passed.class, passed -> {
            assertThat(passed.reportLocation()).isEqualTo("http://tester/reports/run-1/2");
            assertThat(passed.suites()).extracting(SuiteReport::name, SuiteReport::passed).containsExactly(
                    tuple("tests/suite0.yaml", 1),
                    tuple(ImagePolicies.SUITE, 4));
        });
        assertThat(stored.get("run-1/2")).contains("name=\"slipway tester run run-1 attempt 2 of "
                + IMAGE.reference() + "\"");
        assertThat(image.closed).isTrue();
    }

    @Test
    void anApplicationFailureIsTestsFailedEvenWhenPoliciesFailToo() {
        image.config = FakeImage.config(Map.of(), "root");

        Outcome.Failed failed = (Outcome.Failed) tester(-1, Severity.FAIL).test(request(PASSING, FAILING));

        assertThat(failed.reason()).isEqualTo(Reason.TESTS_FAILED);
        assertThat(failed.message()).isEqualTo("1 of 6 tests failed against " + IMAGE.reference()
                + ", and 1 provider policy checks");
        assertThat(failed.excerpt()).startsWith("FAIL [APPLICATION tests/suite1.yaml] Command Test: bad — exit code: "
                + "expected 0, actual 1\nFAIL [PROVIDER builtin:cis-docker-benchmark-4] CIS 4.1");
        assertThat(failed.retryable()).isFalse();
    }

    @Test
    void aFailingProviderSuiteIsAPolicyViolation() {
        provider.add(new SuiteFile("policy/no-false.yaml", FAILING));

        Outcome.Failed failed = (Outcome.Failed) tester(-1, Severity.FAIL).test(request(PASSING));

        assertThat(failed.reason()).isEqualTo(Reason.POLICY_VIOLATION);
        assertThat(failed.excerpt()).contains("FAIL [PROVIDER policy/no-false.yaml] Command Test: bad");
    }

    @Test
    void warningsPassUntilTheyExceedTheThreshold() {
        image.config = new ImageUnderTest.Config(Map.of(), Map.of(), List.of(), List.of(), List.of(), List.of(), "",
                "app", null);
        String warnSuite = "schemaVersion: '2.0.0'\nseverity: warn\ncommandTests:\n- {name: flaky, command: 'false'}\n";

        Outcome within = tester(2, Severity.WARN).test(request(warnSuite));
        Outcome beyond = tester(1, Severity.WARN).test(request(warnSuite));

        assertThat(within).isInstanceOfSatisfying(Outcome.Passed.class, p -> assertThat(p.warnings()).isEqualTo(2));
        assertThat(beyond).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.POLICY_VIOLATION);
            assertThat(f.message()).startsWith("2 warnings exceed the threshold of 1");
        });
    }

    @Test
    void invalidSuitesAreAllReportedAndNothingRuns() {
        provider.add(new SuiteFile("policy/broken.yaml", "schemaVersion: '9'\n"));

        Outcome.Failed failed = (Outcome.Failed) tester(-1, Severity.FAIL).test(request(PASSING, "commandTests: []\n"));

        assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID);
        assertThat(failed.message()).isEqualTo("2 suite file(s) cannot be run as written: tests/suite1.yaml, policy/broken.yaml");
        assertThat(failed.retryable()).as("a provider file is at fault: fix the tester and re-run").isTrue();
        assertThat(failed.reportLocation()).isEqualTo("http://tester/reports/run-1/2");
        assertThat(opened).isZero();
    }

    @Test
    void neverTestsByTagOrAVmImage() {
        TestRequest byTag = new TestRequest("r", 1, new ImageRef("registry:5000", "staging/app", "v1.2"), true, List.of());
        TestRequest vm = new TestRequest("r", 1, IMAGE, false, List.of());

        Outcome.Failed tag = (Outcome.Failed) tester(-1, Severity.FAIL).test(byTag);
        Outcome.Failed machine = (Outcome.Failed) tester(-1, Severity.FAIL).test(vm);

        assertThat(tag.reason()).isEqualTo(Reason.IMAGE_UNAVAILABLE);
        assertThat(tag.message()).contains("never tests an image by tag");
        assertThat(machine.reason()).isEqualTo(Reason.CONFIG_INVALID);
        assertThat(machine.message()).contains("OpenStack is not configured on this tester");
        assertThat(opened).isZero();
    }

    @Test
    void anImageTheRegistryRefusesIsImageUnavailable() {
        TesterService tester = testerOpening((ref, runId) -> {
            throw new ContainerEngine.ImageUnavailable("the registry has no image", false, null);
        });

        Outcome.Failed failed = (Outcome.Failed) tester.test(request(PASSING));

        assertThat(failed.reason()).isEqualTo(Reason.IMAGE_UNAVAILABLE);
        assertThat(failed.excerpt()).isEmpty();
        assertThat(failed.reportLocation()).isNull();
    }

    @Test
    void anImageOutsideTheConfiguredRegistryIsRegistryNotAllowedAndNotRetried() {
        TesterService tester = testerOpening((ref, runId) -> {
            throw new ContainerEngine.RegistryNotAllowed(ref.reference() + " is not in the staging registry");
        });

        Outcome.Failed failed = (Outcome.Failed) tester.test(request(PASSING));

        assertThat(failed.reason()).isEqualTo(Reason.REGISTRY_NOT_ALLOWED);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.message()).contains("is not in the staging registry");
    }

    /** A tester with no suites or policies whose engine is {@code engine}. */
    private static TesterService testerOpening(ContainerEngine engine) {
        return new TesterService(engine, new SuiteParser(Duration.ofSeconds(5)), new StructureTests(Duration.ofSeconds(5)),
                new ImagePolicies(new ImagePolicies.Settings(Severity.OFF, Severity.OFF, Severity.OFF, Severity.OFF, "x")),
                List::of, (r, a, x) -> "unused", -1, Clock.systemUTC());
    }

    @Test
    void theImageOfAStaleRequestsRunIsNotTestedAtAll() {
        Outcome outcome = tester(-1, Severity.FAIL).test(request(PASSING), ManualStalenessWatch.staleNow(
                new Staleness(Staleness.Reason.CLOSED, "Request #12 was closed")));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CANCELLED);
            assertThat(failed.message()).isEqualTo("Request #12 was closed; its image was not tested.");
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.reportLocation()).isNull();
        });
        assertThat(opened).as("nothing pulled, no container").isZero();
        assertThat(stored).isEmpty();
    }

    @Test
    void aTestWhoseRequestGetsANewerHeadIsAbortedAndItsGarbledResultsAreNotReported() {
        ManualStalenessWatch watch = new ManualStalenessWatch();
        TesterService tester = tester(-1, Severity.FAIL);
        image.exec = argv -> {
            watch.fire(new Staleness(Staleness.Reason.SUPERSEDED, "Superseded: request #12 got head fedcba987654"));
            return new Exec(137, "", "", false);
        };

        Outcome outcome = tester.test(request(PASSING, PASSING), watch);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.SUPERSEDED);
            assertThat(failed.message()).isEqualTo("Superseded: request #12 got head fedcba987654; its test was "
                    + "stopped.");
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(image.aborted).isTrue();
        assertThat(image.closed).isTrue();
        assertThat(stored).as("no report of a stopped run").isEmpty();
        assertThat(watch.subscribed()).isFalse();
    }

    @Test
    void aSuiteFailingBecauseItsContainerWasRemovedUnderItEndsAsCancelledNotAsAnError() {
        ManualStalenessWatch watch = new ManualStalenessWatch();
        TesterService tester = tester(-1, Severity.FAIL);
        image.exec = argv -> {
            watch.fire(new Staleness(Staleness.Reason.CLOSED, "Request #12 was closed"));
            throw new IllegalStateException("No such container");
        };

        Outcome outcome = tester.test(request(PASSING), watch);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(Reason.CANCELLED));
        assertThat(image.aborted).isTrue();
    }

    @Test
    void withoutAStaleSignalAnEngineErrorStillPropagates() {
        TesterService tester = tester(-1, Severity.FAIL);
        image.exec = argv -> {
            throw new IllegalStateException("No such container");
        };

        assertThatThrownBy(() -> tester.test(request(PASSING), new ManualStalenessWatch()))
                .hasMessage("No such container");
        assertThat(image.aborted).isFalse();
    }

    @Test
    void aPassedAndAFailedRunBothCarryTheirReportForPublication() {
        Outcome passed = tester(-1, Severity.FAIL).test(request(PASSING));
        String storedPassed = stored.get("run-1/2");
        Outcome failed = tester(-1, Severity.FAIL).test(request(PASSING, FAILING));

        assertThat(passed.report().xml()).isEqualTo(storedPassed).contains("name=\"tests/suite0.yaml\"");
        assertThat(passed.report().truncated()).isFalse();
        assertThat(failed.report().xml()).isEqualTo(stored.get("run-1/2")).contains("<failure", "name=\"Command Test: bad\"");
    }

    @Test
    void aRunThatRanNoSuiteHasNoReport() {
        Outcome outcome = tester(-1, Severity.FAIL).test(new TestRequest("run-1", 2, new ImageRef("registry.local",
                "staging/org/app", "latest"), true, List.of()));

        assertThat(outcome.report()).isNull();
    }
}

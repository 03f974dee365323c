package io.slipway.tester.domain;

import io.slipway.common.requests.RequestStates.Staleness;
import io.slipway.common.requests.StalenessWatch;
import io.slipway.tester.domain.Outcome.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tester's use case: an image reaches the deliverer only if every application suite, every provider suite and
 * every built-in policy at fail severity passed against containers of exactly its digest, and the warnings stay
 * within the threshold. Suite files are all parsed before anything runs, so an invalid one costs no container; the
 * JUnit report of every run that got that far is stored and its location travels with the outcome, as does the report
 * itself, bounded to {@value #MAX_REPORT_BYTES} bytes for publication. The test of a
 * stale pull or merge request run (closed, or a newer head, after the run) is not run, or stopped when it goes stale
 * while running (its containers removed): it ends as {@code SUPERSEDED} or {@code CANCELLED} with no report.
 */
public final class TesterService implements ImageTests {

    /** The most UTF-8 bytes of JUnit XML an outcome carries for publication ({@code TestReport}). */
    public static final int MAX_REPORT_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(TesterService.class);

    private final ContainerEngine engine;
    private final SuiteParser parser;
    private final StructureTests tests;
    private final ImagePolicies policies;
    private final ProviderSuites providerSuites;
    private final ReportStore reports;
    private final int warningThreshold;
    private final Clock clock;
    private final VmImageTester vmTester;

    /** {@code warningThreshold} is the number of warnings still tolerated; negative tolerates any number. */
    public TesterService(ContainerEngine engine, SuiteParser parser, StructureTests tests, ImagePolicies policies,
                         ProviderSuites providerSuites, ReportStore reports, int warningThreshold, Clock clock) {
        this(engine, parser, tests, policies, providerSuites, reports, warningThreshold, clock, null);
    }

    /** {@code vmTester} null: OpenStack is not configured, a VM image fails with {@code CONFIG_INVALID}. */
    public TesterService(ContainerEngine engine, SuiteParser parser, StructureTests tests, ImagePolicies policies,
                         ProviderSuites providerSuites, ReportStore reports, int warningThreshold, Clock clock,
                         VmImageTester vmTester) {
        this.vmTester = vmTester;
        this.engine = engine;
        this.parser = parser;
        this.tests = tests;
        this.policies = policies;
        this.providerSuites = providerSuites;
        this.reports = reports;
        this.warningThreshold = warningThreshold;
        this.clock = clock;
    }

    @Override
    public Outcome test(TestRequest request, StalenessWatch watch) {
        AtomicReference<Staleness> stale = new AtomicReference<>();
        AtomicReference<ImageUnderTest> testing = new AtomicReference<>();
        try (StalenessWatch.Subscription ignored = watch.whenStale(staleness -> {
            if (stale.compareAndSet(null, staleness)) {
                ImageUnderTest running = testing.get();
                if (running != null) {
                    running.abort();
                }
            }
        })) {
            Optional<Staleness> before = watch.now();
            if (before.isPresent()) {
                return stale(request, before.get(), "its image was not tested");
            }
            try {
                Outcome outcome = test(request, stale, testing);
                return stale.get() == null ? outcome : stale(request, stale.get(), "its test was stopped");
            } catch (RuntimeException e) {
                // Whatever a stopped suite threw (its container removed under it), the run ends for its request.
                if (stale.get() == null) {
                    throw e;
                }
                return stale(request, stale.get(), "its test was stopped");
            }
        }
    }

    /** The outcome of a run whose pull or merge request moved on: no report, not a failure of the image. */
    private static Outcome stale(TestRequest request, Staleness staleness, String what) {
        LOG.info("Run {} ends as stale: {}", request.runId(), staleness.message());
        return new Outcome.Failed(staleness.reason() == Staleness.Reason.CLOSED ? Reason.CANCELLED : Reason.SUPERSEDED,
                staleness.message() + "; " + what + ".", "", false, List.of(), null);
    }

    /**
     * Tests the image, opened into {@code testing} so that a stale signal can abort it; null when {@code stale} was set
     * before the outcome was decided (its results are no longer the image's).
     */
    private Outcome test(TestRequest request, AtomicReference<Staleness> stale,
                         AtomicReference<ImageUnderTest> testing) {
        ImageRef image = request.image();
        if (!request.containerImage() && vmTester == null) {
            return failed(Reason.CONFIG_INVALID, "OpenStack is not configured on this tester; VM image "
                    + image.digest() + " was not tested", false, List.of(), null);
        }
        if (request.containerImage() && !image.hasDigest()) {
            return failed(Reason.IMAGE_UNAVAILABLE, "ImageBuilt names no sha256 digest for " + image.name() + " ('"
                    + image.digest() + "'); the tester never tests an image by tag", false, List.of(), null);
        }
        List<Suite> suites = new ArrayList<>();
        List<SuiteReport> invalid = new ArrayList<>();
        parse(request.applicationSuites(), Origin.APPLICATION, suites, invalid);
        parse(providerSuites.load(), Origin.PROVIDER, suites, invalid);
        if (!invalid.isEmpty()) {
            boolean providerAtFault = invalid.stream().anyMatch(r -> r.origin() == Origin.PROVIDER);
            return failed(Reason.CONFIG_INVALID, invalid.size() + " suite file(s) cannot be run as written: "
                    + String.join(", ", invalid.stream().map(SuiteReport::name).toList()), providerAtFault, invalid,
                    store(request, invalid));
        }
        if (!request.containerImage()) {
            List<SuiteReport> results;
            try {
                results = vmTester.test(request.runId(), image.digest(), suites);
            } catch (VmImageTester.Unavailable e) {
                return new Outcome.Failed(e.reason(), e.getMessage(), e.excerpt() == null ? "" : e.excerpt(),
                        e.retryable(), List.of(), null);
            }
            return decide(image, results, store(request, results));
        }
        List<SuiteReport> results = new ArrayList<>();
        try (ImageUnderTest underTest = engine.open(image, request.runId())) {
            testing.set(underTest);
            if (stale.get() != null) {
                // Went stale during the pull, before the abort could reach these containers.
                return null;
            }
            SuiteBudget budget = tests.budget();
            for (Suite suite : suites) {
                results.add(tests.run(suite, underTest, budget));
            }
            results.add(policies.run(underTest));
            if (stale.get() != null) {
                return null;
            }
        } catch (ContainerEngine.ImageUnavailable e) {
            return failed(Reason.IMAGE_UNAVAILABLE, e.getMessage(), e.retryable(), List.of(), null);
        } catch (ContainerEngine.RegistryNotAllowed e) {
            return failed(Reason.REGISTRY_NOT_ALLOWED, e.getMessage(), false, List.of(), null);
        }
        return decide(image, results, store(request, results));
    }

    private void parse(List<SuiteFile> files, Origin origin, List<Suite> suites, List<SuiteReport> invalid) {
        for (SuiteFile file : files) {
            try {
                suites.add(parser.parse(file.path(), file.content(), origin));
            } catch (InvalidSuite e) {
                invalid.add(new SuiteReport(file.path(), origin, List.of(SuiteReport.TestCase.of("suite file",
                        Severity.FAIL, List.of(new SuiteReport.Failure("suite file",
                                "valid container-structure-test YAML", e.getMessage())), 0, "")), 0));
            }
        }
    }

    private Outcome decide(ImageRef image, List<SuiteReport> results, Stored stored) {
        String location = stored.location();
        int applicationFailed = failed(results, Origin.APPLICATION);
        int providerFailed = failed(results, Origin.PROVIDER);
        int warnings = results.stream().mapToInt(r -> (int) r.count(SuiteReport.Status.WARNED)).sum();
        int total = results.stream().mapToInt(r -> r.cases().size()).sum();
        if (applicationFailed > 0) {
            return failed(Reason.TESTS_FAILED, applicationFailed + " of " + total + " tests failed against "
                    + image.reference() + (providerFailed > 0 ? ", and " + providerFailed + " provider policy checks"
                    : ""), false, results, stored);
        }
        if (providerFailed > 0) {
            return failed(Reason.POLICY_VIOLATION, providerFailed + " provider policy checks failed against "
                    + image.reference(), false, results, stored);
        }
        if (warningThreshold >= 0 && warnings > warningThreshold) {
            return failed(Reason.POLICY_VIOLATION, warnings + " warnings exceed the threshold of " + warningThreshold
                    + " for " + image.reference(), false, results, stored);
        }
        return new Outcome.Passed(List.copyOf(results), location, warnings, stored.report());
    }

    private static int failed(List<SuiteReport> results, Origin origin) {
        return results.stream().filter(r -> r.origin() == origin).mapToInt(SuiteReport::failed).sum();
    }

    /** The report as stored (in full) and as published ({@link #MAX_REPORT_BYTES}). */
    private record Stored(String location, JUnitXml.Bounded report) {
    }

    private Stored store(TestRequest request, List<SuiteReport> results) {
        String name = "slipway tester run " + request.runId() + " attempt " + request.attempt() + " of "
                + request.image().reference();
        Instant now = clock.instant();
        String location = reports.store(request.runId(), request.attempt(), JUnitXml.render(name, results, now));
        return new Stored(location, JUnitXml.bounded(name, results, now, MAX_REPORT_BYTES));
    }

    private static Outcome failed(Reason reason, String message, boolean retryable, List<SuiteReport> results,
                                  Stored stored) {
        String location = stored == null ? null : stored.location();
        return new Outcome.Failed(reason, message, FailureExcerpt.of(results, location), retryable,
                List.copyOf(results), location, stored == null ? null : stored.report());
    }
}

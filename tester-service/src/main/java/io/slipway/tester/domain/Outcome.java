package io.slipway.tester.domain;

import java.util.List;

/** How a test run ended: every blocking check passed, or the image must not go further (with the reason). */
public sealed interface Outcome {

    /** The JUnit XML report of the run, bounded for publication; null when no suite got to run. */
    JUnitXml.Bounded report();

    /** Every suite passed; {@code warnings} counts checks that failed at warn severity (within the threshold). */
    record Passed(List<SuiteReport> suites, String reportLocation, int warnings, JUnitXml.Bounded report)
            implements Outcome {

        /** Without a report to publish. */
        public Passed(List<SuiteReport> suites, String reportLocation, int warnings) {
            this(suites, reportLocation, warnings, null);
        }
    }

    /** The run failed; {@code excerpt} lists failing assertions within {@link FailureExcerpt#MAX_BYTES}. */
    record Failed(Reason reason, String message, String excerpt, boolean retryable, List<SuiteReport> suites,
                  String reportLocation, JUnitXml.Bounded report) implements Outcome {

        /** Without a report to publish. */
        public Failed(Reason reason, String message, String excerpt, boolean retryable, List<SuiteReport> suites,
                      String reportLocation) {
            this(reason, message, excerpt, retryable, suites, reportLocation, null);
        }
    }

    /** The {@code BuildFailed.reasonCode}s the tester emits. */
    enum Reason {
        /** An application suite has a failing test. */
        TESTS_FAILED,
        /** A provider policy (suite or built-in) failed, or warnings exceeded the threshold. */
        POLICY_VIOLATION,
        /** A suite file cannot be run as written. */
        CONFIG_INVALID,
        /** The registry does not have the digest, or refused the tester's credentials. */
        IMAGE_UNAVAILABLE,
        /** The image is not in the configured staging registry, or no staging registry is configured. */
        REGISTRY_NOT_ALLOWED,
        /** The Docker engine or the registry stayed unreachable through the retry budget. */
        INFRASTRUCTURE,
        /** The artifact is of a kind this tester cannot test (no longer emitted: VM images are tested on OpenStack). */
        UNSUPPORTED_ARTIFACT,
        /** VM: the image is missing from Glance or not active. */
        IMAGE_NOT_FOUND,
        /** VM: a quota (instances, cores, RAM) is used up. */
        QUOTA_EXCEEDED,
        /** VM: the test server went to ERROR or the cloud refused an action in its state. */
        SERVER_ERROR,
        /** VM: the test server did not boot or accept SSH in time. */
        TIMEOUT,
        /** The run's pull or merge request got a newer head: its test was not run, or was stopped. Not a failure. */
        SUPERSEDED,
        /** The run's pull or merge request was closed: its test was not run, or was stopped. Not a failure. */
        CANCELLED
    }
}

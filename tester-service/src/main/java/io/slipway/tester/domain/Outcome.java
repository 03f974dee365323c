package io.slipway.tester.domain;

import java.util.List;

/** How a test run ended: every blocking check passed, or the image must not go further (with the reason). */
public sealed interface Outcome {

    /** Every suite passed; {@code warnings} counts checks that failed at warn severity (within the threshold). */
    record Passed(List<SuiteReport> suites, String reportLocation, int warnings) implements Outcome {
    }

    /** The run failed; {@code excerpt} lists failing assertions within {@link FailureExcerpt#MAX_BYTES}. */
    record Failed(Reason reason, String message, String excerpt, boolean retryable, List<SuiteReport> suites,
                  String reportLocation) implements Outcome {
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
        /** The Docker engine or the registry stayed unreachable through every retry. */
        INFRASTRUCTURE,
        /** The artifact is not a container image (VM images are not tested yet). */
        UNSUPPORTED_ARTIFACT
    }
}

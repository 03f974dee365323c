package io.slipway.tester.domain;

import java.util.List;

/**
 * Port to a cloud that tests VM images: boots one throwaway server from the image, runs what of the suites applies
 * to a VM over SSH (command, file existence and content tests, service ports and HTTP checks) and reports what does
 * not apply (metadata and license tests) as skipped. One {@link SuiteReport} per suite, in order. A failing check is
 * a result; a test that cannot run throws {@link Unavailable}, or a transient failure worth retrying.
 */
public interface VmImageTester {

    List<SuiteReport> test(String runId, String imageId, List<Suite> suites);

    /** The test could not run for a reason a retry as is will not fix ({@code retryable} false) or may fix. */
    final class Unavailable extends RuntimeException {
        private final Outcome.Reason reason;
        private final boolean retryable;
        private final String excerpt;

        public Unavailable(Outcome.Reason reason, String message, boolean retryable, String excerpt) {
            super(message);
            this.reason = reason;
            this.retryable = retryable;
            this.excerpt = excerpt;
        }

        public Outcome.Reason reason() {
            return reason;
        }

        public boolean retryable() {
            return retryable;
        }

        public String excerpt() {
            return excerpt;
        }
    }
}

package io.slipway.dashboard.deployer;

/**
 * The deployer's operator API as the dashboard uses it: an approval or a rollback, sent with the operator's own
 * {@code Authorization} header; the answer is the deployer's status and body, as it gave them.
 */
public interface DeployerActions {

    /** {@code POST /approvals} with {@code body}. @throws Unreachable when the deployer did not answer */
    Answer approve(String authorization, String body);

    /** {@code POST /rollbacks} with {@code body}. @throws Unreachable when the deployer did not answer */
    Answer rollback(String authorization, String body);

    /** The deployer's HTTP status and its (JSON) body. */
    record Answer(int status, String body) {
    }

    /** The deployer could not be reached or did not answer in time; nothing is known to have changed. */
    final class Unreachable extends RuntimeException {

        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

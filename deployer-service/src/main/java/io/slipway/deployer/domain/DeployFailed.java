package io.slipway.deployer.domain;

/**
 * A deployment the target refused or that did not become healthy: not retried, the run ends as BuildFailed at DEPLOY
 * with {@link #reasonCode()}. The target has already put the previous artifact back in service (or left it there).
 */
public final class DeployFailed extends Exception {

    private final String reasonCode;
    private final String logExcerpt;

    /** {@code reasonCode} e.g. UNHEALTHY, PULL_FAILED, PUSH_REJECTED, RENDER_FAILED, CONFIG_INVALID, BOOT_FAILED. */
    public DeployFailed(String reasonCode, String message, String logExcerpt) {
        super(message);
        this.reasonCode = reasonCode;
        this.logExcerpt = logExcerpt;
    }

    public String reasonCode() {
        return reasonCode;
    }

    /** The last lines of the container's or tool's output, or null. */
    public String logExcerpt() {
        return logExcerpt;
    }
}

package io.slipway.deliverer.domain;

/**
 * A delivery that cannot succeed by being retried as it is: the registry refused the credentials, the tested
 * digest is not in staging, or what the registry holds is not what was tested. It ends the run as a failure.
 */
public class PromotionFailed extends RuntimeException {

    /** The failure's reason code, as {@code BuildFailed.reasonCode}. */
    public enum Reason {
        /** A registry refused the configured credentials (401/403). */
        REGISTRY_AUTH(true),
        /** The tested manifest or one of its blobs is not in the staging repository. */
        ARTIFACT_MISSING(true),
        /** A manifest's bytes do not hash to the tested digest. */
        DIGEST_MISMATCH(false),
        /** A registry refused a request for another reason (invalid name, manifest, size …). */
        REGISTRY_REJECTED(false),
        /** The artifact is of a kind this deliverer cannot deliver (no longer emitted: VM images go to Glance). */
        UNSUPPORTED_ARTIFACT(false),
        /**
         * The image name is not the repository's to publish; VM: the deliverer is not configured for OpenStack, or
         * the cloud refused a request (policy, credentials).
         */
        CONFIG_INVALID(false),
        /** VM: the tested image is missing from Glance or not active. */
        IMAGE_NOT_FOUND(false),
        /** VM: the image was built by another run than the one delivering it. */
        IMAGE_MISMATCH(false),
        /** VM: Glance refused the change because a quota is used up. */
        QUOTA_EXCEEDED(false),
        /** VM: the cloud refused the change in the image's state (409) or failed otherwise for good. */
        SERVER_ERROR(false),
        /** VM: a deadline of the cloud client passed. */
        TIMEOUT(false);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether a re-run may succeed without a change to the repository (credentials fixed, image rebuilt). */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Reason reason;
    private final String detail;

    public PromotionFailed(Reason reason, String message, String detail) {
        super(message);
        this.reason = reason;
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    /** The registry's own answer (status and error body), for the log excerpt; may be null. */
    public String detail() {
        return detail;
    }
}

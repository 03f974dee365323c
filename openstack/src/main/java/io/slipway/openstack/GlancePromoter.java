package io.slipway.openstack;

/**
 * Delivers a tested VM image in Glance: the image keeps its id, and gains the release tags, properties and
 * visibility. Idempotent: promoting the same image again changes nothing and returns the same answer.
 */
public interface GlancePromoter {

    /**
     * @throws VmImageException IMAGE_NOT_FOUND (missing or not active), IMAGE_MISMATCH (built by another run),
     *                          CONFIG_INVALID (e.g. the policy forbids the visibility) or INFRASTRUCTURE (retryable)
     */
    PublishedVmImage promote(VmPromotion promotion);
}

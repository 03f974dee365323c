package io.slipway.openstack;

/**
 * Builds a VM image from a commit: boots a server from the base image with the provisioning script as cloud-init
 * user data, waits for the script to report done, snapshots the server into Glance, and deletes the server, whatever
 * the outcome. Failures are {@link VmImageException}s whose reason becomes {@code BuildFailed.reasonCode}.
 */
public interface VmImageBuilder {

    /**
     * Builds the image; blocks for the whole build (minutes), so call it off the Kafka poll thread.
     *
     * @throws VmImageException QUOTA_EXCEEDED, SERVER_ERROR, PROVISION_FAILED, SNAPSHOT_FAILED, TIMEOUT,
     *                          INFRASTRUCTURE (retryable) or CONFIG_INVALID
     */
    VmImage build(VmBuildRequest request);

    /**
     * Deletes servers and unfinished images a killed builder left: those of this owner (call it at start-up, before
     * consuming) and those of any owner past their lease. Never throws.
     */
    SweepReport sweep();
}

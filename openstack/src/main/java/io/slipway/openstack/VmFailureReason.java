package io.slipway.openstack;

/**
 * Why a VM stage failed, as the reason code of {@code BuildFailed}. Only {@link #INFRASTRUCTURE} is worth retrying
 * as is: the cloud API was unreachable, timed out or answered 5xx/429; every other reason needs a change (quota,
 * configuration, the provisioning script) before another attempt can succeed.
 */
public enum VmFailureReason {
    /** Nova or Glance refused the request because a quota (instances, cores, RAM, images) is used up. */
    QUOTA_EXCEEDED,
    /** The server went to ERROR (the fault is in the message) or the cloud refused an action in its state. */
    SERVER_ERROR,
    /** The repository's provisioning script exited non-zero inside the VM. */
    PROVISION_FAILED,
    /** Glance could not store the snapshot (image status killed or deleted). */
    SNAPSHOT_FAILED,
    /** A deadline passed: boot, provisioning, shutdown, snapshot or SSH. */
    TIMEOUT,
    /** The cloud API was unreachable, timed out or answered 5xx/429; retryable. */
    INFRASTRUCTURE,
    /** Missing or wrong configuration: credentials, flavor, image, network, catalog, policy. */
    CONFIG_INVALID,
    /** The image to test or promote does not exist or is not active. */
    IMAGE_NOT_FOUND,
    /** The image to promote was not built by the run that asks to promote it. */
    IMAGE_MISMATCH;

    public boolean retryable() {
        return this == INFRASTRUCTURE;
    }
}

package io.slipway.openstack;

/**
 * Tests a VM image: boots a throwaway server from it, runs {@link VmCheck}s over SSH and deletes the server, whatever
 * the outcome. A failing check is a result, not an exception; exceptions mean the test could not run.
 */
public interface VmTester {

    /**
     * Runs the checks; blocks for the whole test.
     *
     * @throws VmImageException IMAGE_NOT_FOUND, QUOTA_EXCEEDED, SERVER_ERROR, TIMEOUT (server or SSH),
     *                          INFRASTRUCTURE (retryable) or CONFIG_INVALID
     */
    VmTestReport test(VmTestRequest request);

    /** Deletes test servers a killed tester left (this owner's, and any past its lease). Never throws. */
    SweepReport sweep();
}

package io.slipway.openstack;

import java.util.List;

/** Test the VM image {@code imageId} (from {@code ImageBuilt.digest}) with {@code checks} on a server of {@code spec}. */
public record VmTestRequest(String runId, String imageId, List<VmCheck> checks, VmSpec spec) {

    public VmTestRequest {
        checks = List.copyOf(checks);
    }
}

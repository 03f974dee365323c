package io.slipway.openstack;

import java.util.Objects;

/**
 * One deployment of a published VM image: make {@code environment} run a server booted from Glance image
 * {@code imageId} for the source repository {@code repository} (owner/name), on the operators' {@code spec} (its
 * {@code baseImage} is ignored).
 */
public record VmDeployment(String environment, String repository, String runId, String commitSha, String imageId,
                           VmSpec spec) {

    public VmDeployment {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(spec, "spec");
    }
}

package io.slipway.builder.domain;

import java.util.List;

/**
 * Port: builds a VM image from a commit (backend {@code openstack}): boots a server from a base image, runs the
 * repository's provisioning script in it and snapshots it into the image service. Blocks for the whole build.
 */
public interface VmImages {

    /**
     * One VM build.
     *
     * @param sourceUrl       the repository's web URL (else the clone URL without credentials)
     * @param provisionScript the content of the provisioning script at the commit
     * @param server          the repository's server spec; null fields take the backend's defaults
     */
    record VmBuild(String runId, String repository, String sourceUrl, String sha, String ref, String provisionScript,
                   PipelineFile.Server server) {
    }

    /** The image left in the image service: its endpoint, name and id. */
    record VmImage(String imageServiceUrl, String name, String imageId, List<String> tags) {
    }

    /**
     * Builds the image, writing progress and, on failure, the console tail into {@code log}.
     *
     * @throws StageFailure     the backend's reason ({@code QUOTA_EXCEEDED}, {@code PROVISION_FAILED}, ...)
     * @throws BuildInterrupted when {@code cancellation} fires
     */
    VmImage build(VmBuild build, BuildLog log, Cancellation cancellation);
}

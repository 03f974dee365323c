package io.slipway.openstack;

/**
 * One VM image build: the run and commit it belongs to, the repository's provisioning script (its content, read
 * from the path {@code .slipway.yml} names) and the repository's server spec (empty fields take the builder's defaults).
 *
 * @param repository full name, e.g. {@code acme/web}
 * @param sourceUrl  the repository's web URL, recorded as {@code org.opencontainers.image.source}
 * @param revision   the commit sha
 * @param ref        the git ref, e.g. {@code refs/heads/main}
 */
public record VmBuildRequest(String runId, String repository, String sourceUrl, String revision, String ref,
                             String provisionScript, VmSpec spec) {
}

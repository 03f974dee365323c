package io.slipway.deployer.domain;

import java.time.Instant;

/**
 * One artifact deployed to an environment (the state's DeploymentRecord): the run that published it, the artifact,
 * where it answers ({@code url}, may be null), whether it was restored by a rollback, and when.
 */
public record Placement(Run run, Artifact artifact, String url, boolean rollback, Instant deployedAt) {
}

package io.slipway.deployer.domain;

import java.util.Objects;

/**
 * One deployment asked of a target: make {@code environment} run {@code artifact} for the source repository
 * {@code repository} (owner/name). {@code runId} and {@code commitSha} are for labels and commit messages;
 * {@code rollback} says the artifact is an earlier one being restored.
 */
public record DeployRequest(String environment, String repository, Artifact artifact, String runId, String commitSha,
                            boolean rollback) {

    public DeployRequest {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(commitSha, "commitSha");
    }
}

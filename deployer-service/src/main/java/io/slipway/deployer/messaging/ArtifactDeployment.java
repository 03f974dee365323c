package io.slipway.deployer.messaging;

import io.slipway.common.kafka.TransientFailure;
import io.slipway.deployer.domain.DeployerService;
import io.slipway.deployer.domain.TargetUnavailable;
import io.slipway.events.ArtifactPublished;
import jakarta.inject.Singleton;

/**
 * Deploys one published artifact. A target that cannot be reached is a transient failure: the record pipeline
 * retries it within the deployer's retry budget, then dead-letters it to {@code slipway.artifacts.dlq}.
 */
@Singleton
public class ArtifactDeployment {

    private final DeployerService deployer;

    ArtifactDeployment(DeployerService deployer) {
        this.deployer = deployer;
    }

    void deploy(ArtifactPublished event) {
        try {
            deployer.published(EventMapping.toPublication(event));
        } catch (TargetUnavailable e) {
            throw new TransientFailure(e.getMessage(), e);
        }
    }
}

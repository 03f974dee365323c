package io.slipway.deployer.messaging;

import io.slipway.common.kafka.EventPublisher;
import io.slipway.deployer.domain.DeploymentEvents;
import jakarta.inject.Singleton;

/** Publishes the deployer's outcomes: {@code Deployed} on slipway.deployments, {@code BuildFailed} on failures. */
@Singleton
public class KafkaDeploymentEvents implements DeploymentEvents {

    private final EventPublisher publisher;

    KafkaDeploymentEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void changed(Change change) {
        publisher.publish(EventMapping.toDeployed(change));
    }

    @Override
    public void failed(Failure failure) {
        publisher.publish(EventMapping.toBuildFailed(failure));
    }
}

package io.slipway.deployer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.deployer.domain.DeploymentEvents;
import jakarta.inject.Singleton;

/**
 * Publishes the deployer's outcomes, {@code Deployed} on slipway.deployments and {@code BuildFailed} on
 * slipway.failures, and counts them: {@code slipway.deployer.deployments} by outcome ({@code deployed},
 * {@code rolled_back}, {@code failed}).
 */
@Singleton
public class KafkaDeploymentEvents implements DeploymentEvents {

    private final EventPublisher publisher;
    private final MeterRegistry meters;

    KafkaDeploymentEvents(EventPublisher publisher, MeterRegistry meters) {
        this.publisher = publisher;
        this.meters = meters;
    }

    @Override
    public void changed(Change change) {
        publisher.publish(EventMapping.toDeployed(change));
        meters.counter("slipway.deployer.deployments", "outcome", change.rollback() ? "rolled_back" : "deployed")
                .increment();
    }

    @Override
    public void failed(Failure failure) {
        publisher.publish(EventMapping.toBuildFailed(failure));
        meters.counter("slipway.deployer.deployments", "outcome", "failed").increment();
    }
}

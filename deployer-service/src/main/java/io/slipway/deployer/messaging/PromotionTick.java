package io.slipway.deployer.messaging;

import io.micronaut.scheduling.annotation.Scheduled;
import io.slipway.deployer.domain.DeployerService;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds ({@code slipway.deployer.tick}, 5s), reads the state topic on and deploys the waiting promotions
 * that became due (soaked, approved). A failure is logged and tried again at the next tick; nothing is lost, since a
 * promotion leaves the state only once it was deployed or failed.
 */
@Singleton
public class PromotionTick {

    private static final Logger LOG = LoggerFactory.getLogger(PromotionTick.class);

    private final DeployerService deployer;
    private final KafkaEnvironmentStates states;

    PromotionTick(DeployerService deployer, KafkaEnvironmentStates states) {
        this.deployer = deployer;
        this.states = states;
    }

    @Scheduled(fixedDelay = "${slipway.deployer.tick:5s}", initialDelay = "${slipway.deployer.tick:5s}")
    void tick() {
        try {
            states.refresh();
            deployer.tick();
        } catch (Exception e) {
            LOG.warn("Waiting promotions not deployed this time, trying again at the next tick: {}", e.toString());
        }
    }
}

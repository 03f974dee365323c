package io.slipway.deployer.messaging;

import io.micronaut.scheduling.annotation.Scheduled;
import io.slipway.deployer.domain.DeployerService;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds ({@code slipway.deployer.tick}, 5s), deploys the waiting promotions
 * that became due (soaked, approved). A failure is logged and tried again at the next tick; nothing is lost, since a
 * promotion leaves the state only once it was deployed or failed.
 */
@Singleton
public class PromotionTick {

    private static final Logger LOG = LoggerFactory.getLogger(PromotionTick.class);

    private final DeployerService deployer;
    PromotionTick(DeployerService deployer) {
        this.deployer = deployer;
    }

    @Scheduled(fixedDelay = "${slipway.deployer.tick:5s}", initialDelay = "${slipway.deployer.tick:5s}")
    void tick() {
        try {
            deployer.tick();
        } catch (Exception e) {
            LOG.warn("Waiting promotions not deployed this time, trying again at the next tick: {}", e.toString());
        }
    }
}

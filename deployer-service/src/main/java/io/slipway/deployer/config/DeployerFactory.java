package io.slipway.deployer.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.slipway.common.yaml.InvalidYaml;
import io.slipway.deployer.domain.DeployerService;
import io.slipway.deployer.domain.DeploymentEvents;
import io.slipway.deployer.domain.EnvironmentStates;
import io.slipway.deployer.domain.Environments;
import io.slipway.deployer.domain.SmokeChecks;
import io.slipway.deployer.domain.TargetFactory;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Builds the deployer's domain from configuration. The environments file is read at start-up, so a mistake in it
 * stops the service before it consumes anything; a missing file means no environments (the deployer deploys nothing).
 */
@Factory
public class DeployerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(DeployerFactory.class);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Context
    Environments environments(DeployerProperties properties, List<TargetFactory> factories) {
        String file = properties.environments();
        if (file == null || file.isBlank() || !Files.exists(Path.of(file))) {
            LOG.warn("No environments file ({}): the deployer deploys nothing until one is configured"
                    + " (SLIPWAY_DEPLOYER_ENVIRONMENTS)", file == null || file.isBlank() ? "not set" : file + " is missing");
            return new Environments(List.of());
        }
        Path path = Path.of(file);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read the environments file " + path + ": " + e.getMessage(), e);
        }
        try {
            Environments environments = new EnvironmentsFile(factories, System::getenv, properties.defaultBranch())
                    .parse(path.getFileName().toString(), text);
            LOG.info("Environments from {}: {}", path, environments.all().stream().map(e -> e.name()
                    + (e.after() == null ? " (auto)" : " (after " + e.after() + ")")).toList());
            return environments;
        } catch (InvalidYaml e) {
            throw new ConfigurationException("the environments file " + path + " is not valid: " + e.getMessage(), e);
        }
    }

    @Singleton
    DeployerService deployerService(DeployerProperties properties, Environments environments,
                                    EnvironmentStates states, DeploymentEvents events, Clock clock) {
        return new DeployerService(environments, states, events, new SmokeChecks(properties.smokeTimeout()),
                properties.history(), clock);
    }
}

package io.slipway.deployer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * deployer-service settings: the operators' environments file, the operator token of the HTTP API, how many earlier
 * deployments each environment keeps for rollback, the timeout of one smoke check, and the default branch (the only
 * ref an environment without {@code refs} takes).
 */
@ConfigurationProperties("slipway.deployer")
public record DeployerProperties(@Nullable String environments,
                                 @Nullable String token,
                                 @Bindable(defaultValue = "10") int history,
                                 @Bindable(defaultValue = "30s") Duration smokeTimeout,
                                 @Bindable(defaultValue = "main") String defaultBranch) {
}

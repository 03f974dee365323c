package io.slipway.deliverer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * deliverer-service settings: the default branch (the only one that moves {@code latest}), how staging repository
 * names map to release repositories, the mirrors every image also goes to, and registry timeouts.
 */
@ConfigurationProperties("slipway.deliverer")
public record DelivererProperties(@Bindable(defaultValue = "main") String defaultBranch,
                                  @Bindable(defaultValue = "staging/") String stagingPrefix,
                                  @Bindable(defaultValue = "127.0.0.1:5000") String releaseRegistry,
                                  @Nullable String releasePrefix,
                                  @Nullable List<String> mirrors,
                                  @Bindable(defaultValue = "30s") Duration requestTimeout,
                                  @Bindable(defaultValue = "10m") Duration transferTimeout) {
}

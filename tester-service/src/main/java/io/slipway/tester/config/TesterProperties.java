package io.slipway.tester.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * tester-service settings: the Docker engine, the staging registry and its credentials ({@code registryPassword} is a
 * secret: set it from the environment), container limits and deadlines, the limits of what a suite may ask for (service
 * start-up wait, setup steps, commands, total time), where reports go and are served from, the dashboard whose run page
 * serves each report to people ({@code dashboardUrl}, the location announced), the provider's policy directory and the
 * built-in policies.
 */
@ConfigurationProperties("slipway.tester")
public record TesterProperties(@Nullable String dockerHost,
                               @Bindable(defaultValue = "5m") Duration dockerTimeout,
                               @Nullable String instanceId,
                               @Nullable String stagingRegistry,
                               @Nullable String registryUsername,
                               @Nullable String registryPassword,
                               @Bindable(defaultValue = "10m") Duration pullTimeout,
                               @Bindable(defaultValue = "60s") Duration testTimeout,
                               @Bindable(defaultValue = "30s") Duration serviceStartupTimeout,
                               @Bindable(defaultValue = "2m") Duration maxServiceStartupTimeout,
                               @Bindable(defaultValue = "10") int maxSetupSteps,
                               @Bindable(defaultValue = "100") int maxCommands,
                               @Bindable(defaultValue = "30m") Duration suitesTimeout,
                               @Bindable(defaultValue = "true") boolean readOnlyRoot,
                               @Bindable(defaultValue = "64m") String tmpfsSize,
                               @Bindable(defaultValue = "512m") String memory,
                               @Bindable(defaultValue = "1") double cpus,
                               @Bindable(defaultValue = "256") long pids,
                               @Bindable(defaultValue = "bridge") String serviceNetwork,
                               @Bindable(defaultValue = "2h") Duration orphanAge,
                               @Bindable(defaultValue = ".slipway/tester/reports") String reportsDir,
                               @Bindable(defaultValue = "http://127.0.0.1:8083") String publicUrl,
                               @Bindable(defaultValue = "30d") Duration reportRetention,
                               @Bindable(defaultValue = "http://127.0.0.1:8087") String dashboardUrl,
                               @Nullable String policyDir,
                               Policies policies) {

    /** Severity ({@code fail}, {@code warn}, {@code off}) of each built-in policy and the warning threshold. */
    @ConfigurationProperties("policies")
    public record Policies(@Bindable(defaultValue = "fail") String nonRootUser,
                           @Bindable(defaultValue = "warn") String healthcheck,
                           @Bindable(defaultValue = "fail") String noSetuidSetgid,
                           @Bindable(defaultValue = "fail") String noSecretEnv,
                           @Bindable(defaultValue = "(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)")
                           String secretEnvNames,
                           @Bindable(defaultValue = "-1") int warningThreshold) {
    }
}

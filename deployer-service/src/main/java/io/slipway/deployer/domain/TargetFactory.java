package io.slipway.deployer.domain;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.YamlMap;

import java.util.function.Function;

/**
 * Makes the {@link DeploymentTarget} of one environment from the target's block of the operators' environments file
 * ({@code target: {kind: docker, ...}}). One factory per kind; an unknown key or a bad value is an {@link InvalidYaml}
 * naming its line, so the deployer refuses to start on a typo rather than deploy somewhere else.
 */
public interface TargetFactory {

    /** The {@code kind:} this factory reads: {@code docker}, {@code gitops} or {@code openstack}. */
    String kind();

    /**
     * The target for {@code environment} from its {@code target:} block (which includes {@code kind}). {@code secrets}
     * resolves the name of an environment variable the block names (e.g. {@code password-env: GITOPS_TOKEN}) to
     * its value, or null ({@link SecretVariables} reads such a key); secrets are never written in the file itself.
     */
    DeploymentTarget create(String environment, YamlMap target, Function<String, String> secrets) throws InvalidYaml;
}

package io.slipway.deployer.adapter.docker;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.YamlMap;
import io.slipway.container.DockerEngine;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetFactory;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.function.Function;

/**
 * Makes the Docker-host target of an environment from its {@code target: {kind: docker, ...}} block (see
 * {@link DockerTargetSettings}); each environment gets its own engine client, so environments may live on
 * different engines (the local socket, or a remote one over TLS).
 */
@Singleton
public final class DockerTargetFactory implements TargetFactory {

    /** Bounds each engine call that does not stream; pulls and health waits have their own limits. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    @Override
    public String kind() {
        return "docker";
    }

    @Override
    public DeploymentTarget create(String environment, YamlMap target, Function<String, String> secrets)
            throws InvalidYaml {
        DockerTargetSettings settings = DockerTargetSettings.parse(target.node(), secrets);
        return new DockerTarget(environment, settings,
                DockerEngine.connect(settings.host(), settings.tlsCertPath(), RESPONSE_TIMEOUT));
    }
}

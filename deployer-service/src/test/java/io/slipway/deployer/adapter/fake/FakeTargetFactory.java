package io.slipway.deployer.adapter.fake;

import io.slipway.common.yaml.YamlMap;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetFactory;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Makes {@link FakeTarget}s for {@code kind: fake} blocks (tests only), one per environment, kept so a test can reach
 * the target the service deploys to: {@link #of(String)}. The block's only other key is {@code note}.
 */
@Singleton
public final class FakeTargetFactory implements TargetFactory {

    private static final Map<String, FakeTarget> TARGETS = new ConcurrentHashMap<>();

    /** The target of {@code environment}, made on first use. */
    public static FakeTarget of(String environment) {
        return TARGETS.computeIfAbsent(environment, e -> new FakeTarget());
    }

    @Override
    public String kind() {
        return "fake";
    }

    @Override
    public DeploymentTarget create(String environment, YamlMap target, Function<String, String> secrets) {
        target.node().map(Set.of("kind", "note"));
        return of(environment);
    }
}

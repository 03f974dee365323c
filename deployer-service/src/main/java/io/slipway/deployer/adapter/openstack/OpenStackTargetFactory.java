package io.slipway.deployer.adapter.openstack;

import io.slipway.common.yaml.YamlMap;
import io.slipway.common.yaml.YamlNode;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetFactory;
import io.slipway.openstack.OpenStackCloud;
import io.slipway.openstack.OpenStackSettings;
import io.slipway.openstack.OpenStackVmDeployer;
import io.slipway.openstack.VmImageException;
import io.slipway.openstack.VmSpec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a {@code target: {kind: openstack, flavor, network, key-pair?, security-groups?}} block strictly and makes
 * the environment's {@link OpenStackTarget}. The cloud comes from the service's {@code OS_*} settings, read as the
 * other VM stages read them, once, when the first openstack environment is configured; settings that are missing
 * or wrong refuse the block, so the deployer does not start.
 */
@Singleton
public final class OpenStackTargetFactory implements TargetFactory {

    private static final List<String> KEYS = List.of("kind", "flavor", "network", "key-pair", "security-groups");

    private final Map<String, String> environment;
    private OpenStackVmDeployer deployer;

    @Inject
    public OpenStackTargetFactory() {
        this(System.getenv());
    }

    OpenStackTargetFactory(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String kind() {
        return "openstack";
    }

    @Override
    public DeploymentTarget create(String environmentName, YamlMap block, Function<String, String> secrets) {
        YamlMap target = block.node().map(KEYS);
        String flavor = target.required("flavor").scalar();
        String network = target.required("network").scalar();
        String keyPair = target.optional("key-pair").map(YamlNode::text).orElse(null);
        List<String> groups = target.optional("security-groups")
                .map(list -> list.list().stream().map(YamlNode::text).toList()).orElse(List.of());
        return new OpenStackTarget(deployer(target), new VmSpec(null, flavor, network, keyPair, groups));
    }

    private synchronized OpenStackVmDeployer deployer(YamlMap target) {
        if (deployer == null) {
            try {
                deployer = new OpenStackVmDeployer(new OpenStackCloud(OpenStackSettings.fromEnvironment(environment)));
            } catch (VmImageException e) {
                throw target.node().invalid("needs the deployer's OpenStack settings (OS_AUTH_URL and credentials, "
                        + "as for the builder): " + e.getMessage());
            }
        }
        return deployer;
    }
}

package io.slipway.openstack;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The builder's defaults and deadlines. {@code allowedFlavors}, when not empty, is the cost guard: a repository
 * cannot ask for a flavor outside it.
 *
 * @param provisionTimeout deadline for the provisioning script to report done on the console
 * @param snapshotTimeout  deadline for the Glance snapshot to become active
 */
public record VmBuilderSettings(VmSpec defaults, Set<String> allowedFlavors, Duration provisionTimeout,
                                Duration snapshotTimeout) {

    public VmBuilderSettings {
        allowedFlavors = Set.copyOf(allowedFlavors);
    }

    /** {@code SLIPWAY_OPENSTACK_BASE_IMAGE}, {@code _FLAVOR}, {@code _NETWORK}, {@code _KEY_PAIR}, {@code _SECURITY_GROUPS}, ... */
    public static VmBuilderSettings fromEnvironment(Map<String, String> environment) {
        Env env = new Env(environment);
        VmBuilderSettings settings = new VmBuilderSettings(VmSpec.fromEnvironment(env, "SLIPWAY_OPENSTACK_"),
                Set.copyOf(env.list("SLIPWAY_OPENSTACK_ALLOWED_FLAVORS")),
                env.duration("SLIPWAY_OPENSTACK_PROVISION_TIMEOUT", Duration.ofMinutes(30)),
                env.duration("SLIPWAY_OPENSTACK_SNAPSHOT_TIMEOUT", Duration.ofMinutes(30)));
        env.validate("OpenStack builder settings");
        return settings;
    }
}

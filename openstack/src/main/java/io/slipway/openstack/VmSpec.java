package io.slipway.openstack;

import java.util.List;

/**
 * What a server is booted from and on: Glance image id, Nova flavor id, Neutron network id, optional Nova key pair
 * and security groups (names). A repository's {@code .slipway.yml} may set some fields; {@link #orElse} fills the
 * rest from the stage's configuration. Ids, not names: Nova's API takes ids.
 */
public record VmSpec(String baseImage, String flavor, String network, String keyPair, List<String> securityGroups) {

    public VmSpec {
        securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
    }

    /** Each field of this spec, or of {@code defaults} where this one has none. */
    public VmSpec orElse(VmSpec defaults) {
        return new VmSpec(pick(baseImage, defaults.baseImage), pick(flavor, defaults.flavor),
                pick(network, defaults.network), pick(keyPair, defaults.keyPair),
                securityGroups.isEmpty() ? defaults.securityGroups : securityGroups);
    }

    static VmSpec fromEnvironment(Env env, String prefix) {
        return new VmSpec(env.get(prefix + "BASE_IMAGE", null), env.get(prefix + "FLAVOR", null),
                env.get(prefix + "NETWORK", null), env.get(prefix + "KEY_PAIR", null),
                env.list(prefix + "SECURITY_GROUPS"));
    }

    private static String pick(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}

package io.slipway.openstack;

import java.time.Duration;
import java.util.Map;

/**
 * The tester's server spec (the image comes from {@code ImageBuilt}) and how it reaches the server over SSH.
 *
 * @param sshUser        the account checks run as: root (default) or the image's default cloud-init user, the two
 *                       accounts cloud-init authorises Slipway's one-off key for
 * @param sshTimeout     deadline for SSH to accept Slipway's key after the server became ACTIVE
 * @param commandTimeout deadline for one check's command
 */
public record VmTesterSettings(VmSpec defaults, String sshUser, int sshPort, Duration sshTimeout,
                               Duration commandTimeout) {

    /** {@code SLIPWAY_OPENSTACK_TEST_FLAVOR}, {@code _TEST_NETWORK}, ... falling back to the builder's variables. */
    public static VmTesterSettings fromEnvironment(Map<String, String> environment) {
        Env env = new Env(environment);
        VmSpec spec = VmSpec.fromEnvironment(env, "SLIPWAY_OPENSTACK_TEST_")
                .orElse(VmSpec.fromEnvironment(env, "SLIPWAY_OPENSTACK_"));
        VmTesterSettings settings = new VmTesterSettings(spec, env.get("SLIPWAY_OPENSTACK_SSH_USER", "root"),
                env.integer("SLIPWAY_OPENSTACK_SSH_PORT", 22),
                env.duration("SLIPWAY_OPENSTACK_SSH_TIMEOUT", Duration.ofMinutes(10)),
                env.duration("SLIPWAY_OPENSTACK_COMMAND_TIMEOUT", Duration.ofMinutes(5)));
        env.validate("OpenStack tester settings");
        return settings;
    }
}

package io.slipway.tester.config;

import io.slipway.openstack.OpenStackCloud;
import io.slipway.openstack.OpenStackSettings;
import io.slipway.openstack.OpenStackVmTester;
import io.slipway.openstack.VmTester;
import io.slipway.openstack.VmTesterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The tester's OpenStack VM tester when {@code OS_AUTH_URL} is set (settings read as the {@code openstack} module
 * reads them; set but incomplete stops the start-up), else none: VM images then fail with {@code CONFIG_INVALID}.
 */
public record OpenStackTesting(VmTester tester) {

    private static final Logger LOG = LoggerFactory.getLogger(OpenStackTesting.class);

    public static OpenStackTesting fromEnvironment(Map<String, String> environment) {
        String authUrl = environment.get("OS_AUTH_URL");
        if (authUrl == null || authUrl.isBlank()) {
            LOG.info("OS_AUTH_URL is not set: VM images will fail testing with CONFIG_INVALID");
            return new OpenStackTesting(null);
        }
        OpenStackSettings settings = OpenStackSettings.fromEnvironment(environment);
        LOG.info("VM images are tested on OpenStack ({})", settings.identityUrl());
        return new OpenStackTesting(new OpenStackVmTester(new OpenStackCloud(settings),
                VmTesterSettings.fromEnvironment(environment)));
    }

    public boolean configured() {
        return tester != null;
    }
}

package io.slipway.common.testing;

import io.slipway.devstack.testing.SharedDevStack;

import java.util.Map;

/** Configuration that points a service under test at the shared test broker and registry, on a random port. */
public final class SlipwayTestProperties {

    /** The management token services under test expect for health details, metrics and reports. */
    public static final String MANAGEMENT_TOKEN = "test-management-token";

    private SlipwayTestProperties() {
    }

    public static Map<String, String> against(SharedDevStack stack) {
        return Map.of(
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "slipway.schema-registry.url", stack.registryUrl(),
                "slipway.kafka.partitions", "1",
                "slipway.management.token", MANAGEMENT_TOKEN,
                "micronaut.server.port", "-1");
    }
}

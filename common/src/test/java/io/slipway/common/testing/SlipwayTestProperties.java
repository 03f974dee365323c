package io.slipway.common.testing;

import io.slipway.devstack.testing.SharedDevStack;

import java.util.Map;
import java.util.UUID;

/**
 * Configuration that points a service under test at the shared test broker and registry, on a random port, with an
 * instance id of its own: two services under test in one JVM would otherwise share host name and port ({@code -1}),
 * hence their stages' transactional ids, and fence each other.
 */
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
                "micronaut.server.port", "-1",
                "slipway.kafka.instance-id", "test-" + UUID.randomUUID());
    }
}

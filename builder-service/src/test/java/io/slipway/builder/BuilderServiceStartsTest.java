package io.slipway.builder;

import io.slipway.common.testing.ServiceStartsContract;

import java.util.HashMap;
import java.util.Map;

/**
 * The builder-service starts, creates its topics, and answers on /health and /prometheus. Its own consumer group
 * starts at the end of slipway.commits, so it does not rebuild what other tests in this JVM published.
 */
class BuilderServiceStartsTest extends ServiceStartsContract {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("slipway.builder.group-id", "builder-starts-test");
        properties.put("kafka.consumers.builder-starts-test.auto.offset.reset", "latest");
        return properties;
    }
}

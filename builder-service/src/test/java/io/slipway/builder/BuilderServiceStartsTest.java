package io.slipway.builder;

import io.slipway.builder.config.BuilderProperties;
import io.slipway.common.testing.ServiceStartsContract;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The builder-service starts, creates its topics, and answers on /health and /prometheus. Its own consumer group
 * starts at the end of slipway.commits, so it does not rebuild what other tests in this JVM published.
 */
class BuilderServiceStartsTest extends ServiceStartsContract {

    @Inject
    BuilderProperties builderProperties;

    @Test
    void keepsTheNamesOfTheOperatorsBuildArgsAsWritten() {
        assertThat(builderProperties.buildArgs()).containsExactly(entry("HTTP_PROXY", "http://proxy.invalid:3128"));
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("slipway.builder.group-id", "builder-starts-test");
        properties.put("kafka.consumers.builder-starts-test.auto.offset.reset", "latest");
        properties.put("slipway.builder.build-args.HTTP_PROXY", "http://proxy.invalid:3128");
        return properties;
    }
}

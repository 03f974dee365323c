package io.slipway.common.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A context built as a service's is (its own application.yml, here {@code service-like/application.yml}) sees the
 * settings every service shares from common's {@code slipway-defaults.yml}, and whatever the service sets itself, or
 * is given when its context is built, wins over them.
 */
class SharedDefaultsTest {

    private static ApplicationContext serviceLike(Map<String, Object> given) {
        return ApplicationContext.builder().overrideConfigLocations("classpath:service-like/").properties(given).start();
    }

    @Test
    void aServiceSeesTheSharedSettingsItDoesNotSetItself() {
        try (ApplicationContext context = serviceLike(Map.of())) {
            Environment environment = context.getEnvironment();

            assertThat(environment.getProperty("micronaut.application.name", String.class)).contains("service-like");
            assertThat(environment.getProperty("endpoints.health.details-visible", String.class)).contains("ANONYMOUS");
            assertThat(environment.getProperty("endpoints.health.sensitive", Boolean.class)).contains(false);
            assertThat(environment.getProperty("micronaut.metrics.export.prometheus.enabled", Boolean.class))
                    .contains(true);
            assertThat(environment.getProperty("micronaut.metrics.export.prometheus.descriptions", Boolean.class))
                    .contains(true);
            assertThat(environment.containsProperty("kafka.bootstrap.servers")).isTrue();
            assertThat(environment.containsProperty("slipway.schema-registry.url")).isTrue();
        }
    }

    @Test
    void whatTheServiceSetsItselfWinsOverTheSharedSetting() {
        try (ApplicationContext context = serviceLike(Map.of())) {
            assertThat(context.getEnvironment().getProperty("endpoints.prometheus.sensitive", Boolean.class))
                    .contains(true);
            assertThat(context.getBean(SlipwayKafkaProperties.class).replicationFactor()).isEqualTo((short) 2);
        }
    }

    @Test
    void settingsGivenWhenTheContextIsBuiltWinOverBoth() {
        try (ApplicationContext context = serviceLike(Map.of("kafka.bootstrap.servers", "broker.example:9093",
                "slipway.kafka.replication-factor", "3"))) {
            assertThat(context.getEnvironment().getProperty("kafka.bootstrap.servers", String.class))
                    .contains("broker.example:9093");
            assertThat(context.getBean(SlipwayKafkaProperties.class).replicationFactor()).isEqualTo((short) 3);
        }
    }
}

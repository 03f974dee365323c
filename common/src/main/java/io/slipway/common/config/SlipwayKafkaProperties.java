package io.slipway.common.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How a Slipway service uses Kafka beyond the client settings under {@code kafka.*}: how topics are created at
 * start-up, how many keys a state topic's store holds in memory, and how a record that hits a transient fault is
 * retried before it is dead-lettered.
 */
@ConfigurationProperties("slipway.kafka")
public record SlipwayKafkaProperties(
        @Bindable(defaultValue = "true") boolean createTopics,
        @Bindable(defaultValue = "3") int partitions,
        @Bindable(defaultValue = "1") short replicationFactor,
        @Bindable(defaultValue = "60s") Duration startupTimeout,
        @Bindable(defaultValue = "100000") int stateMaxKeys,
        @Bindable(defaultValue = "30s") Duration sendTimeout,
        @Bindable(defaultValue = "5") int retryAttempts,
        @Bindable(defaultValue = "200ms") Duration retryInitialBackoff,
        @Bindable(defaultValue = "30s") Duration retryMaxBackoff) {
}

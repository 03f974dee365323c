package io.slipway.common.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.slipway.common.kafka.SlipwayListener;

import java.time.Duration;

/**
 * How a Slipway service uses Kafka beyond the client settings under {@code kafka.*}: how topics are created at
 * start-up, how many keys a state topic's store holds in memory, how its listener polls, and for how long a record
 * that meets transient faults is retried ({@code retryBudget}, a time counted from the record's first transient fault)
 * before its stage gives up on it.
 *
 * @param maxPollRecords    records per poll of the service's listener (read by {@link SlipwayListener} too)
 * @param maxPollIntervalMs the listener's {@code max.poll.interval.ms} (read by {@link SlipwayListener} too)
 */
@ConfigurationProperties("slipway.kafka")
public record SlipwayKafkaProperties(
        @Bindable(defaultValue = "true") boolean createTopics,
        @Bindable(defaultValue = "3") int partitions,
        @Bindable(defaultValue = "1") short replicationFactor,
        @Bindable(defaultValue = "60s") Duration startupTimeout,
        @Bindable(defaultValue = "100000") int stateMaxKeys,
        @Bindable(defaultValue = "30s") Duration sendTimeout,
        @Bindable(defaultValue = "3s") Duration retryBudget,
        @Bindable(defaultValue = "200ms") Duration retryInitialBackoff,
        @Bindable(defaultValue = "30s") Duration retryMaxBackoff,
        @Bindable(defaultValue = SlipwayListener.DEFAULT_MAX_POLL_RECORDS) int maxPollRecords,
        @Bindable(defaultValue = SlipwayListener.DEFAULT_MAX_POLL_INTERVAL_MS) long maxPollIntervalMs) {
}

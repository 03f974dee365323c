package io.slipway.common.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How a Slipway service uses Kafka beyond the client settings under {@code kafka.*}: how topics are created at
 * start-up, how many keys a state topic's store holds in memory, how its listener polls, and for how long a record
 * that meets transient faults is retried ({@code retryBudget}, a time counted from the record's first transient fault)
 * before its stage gives up on it.
 *
 * @param maxPollRecords       records per poll of each stage worker; it handles them one after another and polls
 *                             again after the last or once half of {@code maxPollIntervalMs} has passed
 * @param maxPollIntervalMs    each stage worker's {@code max.poll.interval.ms}
 * @param sessionTimeoutMs     each stage worker's {@code session.timeout.ms}
 * @param heartbeatIntervalMs  each stage worker's {@code heartbeat.interval.ms}
 * @param fetchMaxWaitMs       the {@code fetch.max.wait.ms} of every consumer that follows topics (stage workers, topic
 *                             tails, the notifier's channel workers, the dashboard's projection) unless
 *                             {@code kafka.fetch.max.wait.ms} sets it: how long the broker holds a fetch that finds no
 *                             record. A record for a partition of the fetch ends the wait at once, so it sets how often
 *                             an idle consumer asks, and how long a consumer that seeks back or is given new partitions
 *                             may wait for the held fetch before it can ask for them (see docs/operations.md)
 * @param instanceId           this instance's name in its stages' transactional ids
 *                             ({@code <group>.<instance-id>.<worker>}); empty means host name and HTTP port (a random
 *                             suffix in place of the port when the server takes a random one). It must
 *                             stay the same across restarts of one instance, so that the restarted instance fences
 *                             its predecessor and aborts its open transaction at once
 * @param transactionTimeoutMs the stage transactions' {@code transaction.timeout.ms}: how long the broker lets a
 *                             transaction stay open, counted from its first write, before aborting it; it is also
 *                             how long a killed instance's open transaction holds back read_committed readers of the
 *                             partitions it wrote (unless the instance comes back under the same instance id first).
 *                             A long stage (build, test, deploy) writes its outcome when the work is done, so the
 *                             work's length does not count; a stage that writes early in a long record raises it, up
 *                             to its {@code max-poll-interval-ms} and at most the broker's
 *                             {@code transaction.max.timeout.ms} (15 minutes by default)
 * @param transactionCommitAfter how long a transaction shared by a poll's records stays open: once it has been open
 *                             longer, it is committed before the next record, which begins a new one
 * @param stopGrace            how long a stopping service lets each stage worker finish the record in hand; after
 *                             it the worker is interrupted and its records stay uncommitted
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
        @Bindable(defaultValue = "500") int maxPollRecords,
        @Bindable(defaultValue = "300000") long maxPollIntervalMs,
        @Bindable(defaultValue = "10000") int sessionTimeoutMs,
        @Bindable(defaultValue = "3000") int heartbeatIntervalMs,
        @Bindable(defaultValue = "5000") int fetchMaxWaitMs,
        @Bindable(defaultValue = "") String instanceId,
        @Bindable(defaultValue = "60000") long transactionTimeoutMs,
        @Bindable(defaultValue = "1s") Duration transactionCommitAfter,
        @Bindable(defaultValue = "30s") Duration stopGrace) {
}

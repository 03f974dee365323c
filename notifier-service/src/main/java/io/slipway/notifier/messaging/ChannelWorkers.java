package io.slipway.notifier.messaging;

import io.slipway.common.messaging.TopicsAtStartup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.DeadLetterPublisher;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.NotificationDispatcher;
import io.slipway.notifier.domain.Routing;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.reactivestreams.Publisher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link ChannelWorker} per enabled channel for the life of the service, after the channel memories have
 * been read; every instance of the service runs them, and each channel's consumer group shares the partitions out.
 * On {@code /health} ({@code notifier-channels}) it shows each channel's state; a worker that died or stopped polling
 * makes the {@code liveness} check DOWN (its {@link Heartbeat}), a channel that is retrying does not, because the
 * service does what it should.
 */
@Context
public class ChannelWorkers implements HealthIndicator {

    /** A channel starts with the oldest delivery it has not committed, and takes a few at a time. */
    private static final Map<String, String> CHANNEL_CONSUMER = Map.of(
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");

    /**
     * A worker polls every 5 s at rest, and otherwise after at most a flush of its memories (5 s per partition) and a
     * commit (5 s, twice), also while it waits to retry or for its memories to be saved; its state catch-up after an
     * assignment retries until it succeeds, so allow Kafka's own {@code max.poll.interval.ms} before calling it stuck.
     */
    private static final Duration POLL_INTERVAL = Duration.ofMinutes(5);

    private final List<ChannelWorker> workers = new ArrayList<>();

    ChannelWorkers(Routing routing, NotificationDispatcher dispatcher, DeadLetterPublisher deadLetters,
                   KafkaStateStore state, KafkaClients clients, SlipwayKafkaProperties settings,
                   MeterRegistry meters, Heartbeats heartbeats, @Nullable TopicsAtStartup created) {
        for (ChannelId channel : routing.channels()) {
            KafkaConsumer<byte[], byte[]> consumer = clients.consumer("notifier-" + channel,
                    ChannelWorker.groupOf(channel), CHANNEL_CONSUMER, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            workers.add(new ChannelWorker(channel, consumer, dispatcher, deadLetters, state, meters,
                    settings.startupTimeout(), heartbeats.register("notifier channel " + channel, POLL_INTERVAL)));
        }
    }

    @PostConstruct
    void start() {
        workers.forEach(ChannelWorker::start);
    }

    /** Each channel's state, in configuration order. */
    Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        workers.forEach(w -> states.put(w.channel().toString(), w.state()));
        return states;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("notifier-channels", HealthStatus.UP).details(states()).build());
    }

    @PreDestroy
    void stop() throws InterruptedException {
        workers.forEach(ChannelWorker::requestStop);
        for (ChannelWorker worker : workers) {
            worker.awaitStopped();
        }
    }
}

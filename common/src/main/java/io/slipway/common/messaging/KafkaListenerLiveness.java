package io.slipway.common.messaging;

import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.configuration.kafka.event.KafkaConsumerStartedPollingEvent;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.core.order.Ordered;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.liveness.WatchedExecutor;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Watches the poll loops of the service's Kafka listeners, each on its own thread of Micronaut Kafka's
 * {@code consumer} executor: the executor is replaced at creation by a {@link WatchedExecutor} of the same size and
 * threads, a listener's {@link Heartbeat} is registered on its first poll (on its own thread, which links the two),
 * its polls are read from the consumer's {@code last-poll-seconds-ago} metric and must come at least once per
 * {@code max.poll.interval.ms} (after that Kafka has taken its partitions away anyway), and its loop ending for any
 * reason while the service runs makes the service DOWN. Nothing here depends on records arriving.
 */
@Singleton
class KafkaListenerLiveness implements BeanCreatedEventListener<ExecutorService>, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaListenerLiveness.class);
    private static final String LAST_POLL = "last-poll-seconds-ago";
    private static final String CONSUMER_METRICS = "consumer-metrics";

    /** A listener's poll loop, known from its first poll on. */
    private record Listener(Heartbeat heartbeat, Consumer<?, ?> consumer) {
    }

    private final Heartbeats heartbeats;
    private final Duration interval;
    private final BeanProvider<ConsumerRegistry> registry;
    private final Map<Thread, Listener> listeners = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** The registry is looked up late: it is made with the very executor this replaces. */
    KafkaListenerLiveness(Heartbeats heartbeats, SlipwayKafkaProperties settings,
                          BeanProvider<ConsumerRegistry> registry) {
        this.heartbeats = heartbeats;
        this.interval = Duration.ofMillis(settings.maxPollIntervalMs());
        this.registry = registry;
    }

    /** Before other listeners (metrics) wrap the executor, so the pool itself can be replaced. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @Override
    public ExecutorService onCreated(BeanCreatedEvent<ExecutorService> event) {
        ExecutorService created = event.getBean();
        if (!TaskExecutors.MESSAGE_CONSUMER.equals(event.getBeanIdentifier().getName())) {
            return created;
        }
        if (!(created instanceof ScheduledThreadPoolExecutor pool)) {
            LOG.warn("The Kafka listeners' executor is a {}, not a thread pool this service can watch: a listener "
                    + "whose thread ends is only noticed when it stops polling", created.getClass().getName());
            return created;
        }
        WatchedExecutor watched = new WatchedExecutor(pool.getCorePoolSize(), pool.getThreadFactory(), this::ended);
        pool.shutdown();
        return watched;
    }

    /** On the listener's own thread, after its first poll. */
    @EventListener
    void onFirstPoll(KafkaConsumerStartedPollingEvent event) {
        Consumer<?, ?> consumer = event.getSource();
        Heartbeat heartbeat = heartbeats.register("kafka listener " + clientId(consumer), interval,
                () -> lastPoll(consumer));
        Listener previous = listeners.put(Thread.currentThread(), new Listener(heartbeat, consumer));
        if (previous != null) {
            previous.heartbeat().close();
        }
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        stopping = true;
        listeners.values().forEach(listener -> listener.heartbeat().close());
    }

    private void ended(Thread thread, Throwable cause) {
        Listener listener = listeners.remove(thread);
        if (listener != null && cause != null) {
            DeadListenerClose.markClosed(registry.get(), listener.consumer());
        }
        if (stopping) {
            return;
        }
        if (listener != null) {
            LOG.error("The poll loop of {} ended on thread {}; the service is DOWN until it is restarted",
                    listener.heartbeat().name(), thread.getName(), cause);
            listener.heartbeat().ended(cause);
        } else if (cause != null) {
            LOG.error("A task of the Kafka listeners' executor failed on thread {}", thread.getName(), cause);
            heartbeats.register("kafka listener on " + thread.getName(), interval).ended(cause);
        }
    }

    private static Optional<Instant> lastPoll(Consumer<?, ?> consumer) {
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            if (LAST_POLL.equals(metric.getKey().name()) && CONSUMER_METRICS.equals(metric.getKey().group())
                    && metric.getValue().metricValue() instanceof Number seconds && seconds.doubleValue() >= 0) {
                return Optional.of(Instant.now().minusMillis((long) (seconds.doubleValue() * 1000)));
            }
        }
        return Optional.empty();
    }

    private static String clientId(Consumer<?, ?> consumer) {
        return consumer.metrics().keySet().stream().map(name -> name.tags().get("client-id"))
                .filter(id -> id != null && !id.isEmpty()).findFirst().orElse("(unnamed consumer)");
    }
}

package io.slipway.common.messaging;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.DeadLetterPublisher;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.RetryBudget;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.StageWorker;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.common.liveness.Heartbeats;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Provider;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the service's stages: for every {@link StageListener} bean, {@link StageSubscription#threads()} workers
 * ({@link StageWorker}), each on its own thread with its own consumer and transactional producer whose
 * {@code transactional.id} is {@code <group>.<instance-id>.<worker>}, so a restarted instance fences its predecessor.
 * Every worker beats a heartbeat on each poll; one that ends while the service runs makes the service DOWN. On
 * shutdown each worker may finish the record in hand within {@code slipway.kafka.stop-grace}; after that it is
 * interrupted, and its records stay uncommitted for the next owner.
 */
@Context
public class StageLoops {

    private static final Logger LOG = LoggerFactory.getLogger(StageLoops.class);

    /** A running worker and what watches it. */
    private record Running(StageWorker worker, Thread thread, Heartbeat heartbeat) {
    }

    private final List<StageListener> listeners;
    private final KafkaClients clients;
    private final SlipwayKafkaProperties settings;
    private final Heartbeats heartbeats;
    private final Provider<DeadLetterPublisher> deadLetters;
    private final String instanceId;
    private final List<Running> running = new ArrayList<>();

    /**
     * The listeners are injected, so they (and what they use: publishers, stores) are made before and closed after
     * the workers that call them.
     */
    StageLoops(List<StageListener> listeners, KafkaClients clients, SlipwayKafkaProperties settings, Heartbeats heartbeats,
               Provider<DeadLetterPublisher> deadLetters, RetryBudget budget,
               @Value("${micronaut.server.port:8080}") String port) {
        listeners.forEach(listener -> requireBudgetFits(budget, listener.subscription(), settings));
        this.listeners = List.copyOf(listeners);
        this.clients = clients;
        this.settings = settings;
        this.heartbeats = heartbeats;
        this.deadLetters = deadLetters;
        this.instanceId = instanceIdOf(settings.instanceId(), hostName(), port);
    }

    /**
     * Refuses a retry budget the stage cannot wait out: one budget must fit in half the poll interval, and where a
     * poll's records share a transaction, in the transaction timeout along with how long it may already be open.
     */
    static void requireBudgetFits(RetryBudget budget, StageSubscription subscription, SlipwayKafkaProperties settings) {
        try {
            budget.requireWithin(Duration.ofMillis(settings.maxPollIntervalMs()));
            if (subscription.batching() == Batching.PER_POLL) {
                budget.requireWithinTransaction(settings.transactionCommitAfter(),
                        Duration.ofMillis(settings.transactionTimeoutMs()));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("stage " + subscription.group() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The configured instance id; else the host name and the HTTP port the server binds, when it is configured (a port
     * above zero); else, the port being chosen at random when the server binds (-1 or 0, as in tests), the host name
     * and a random suffix, so that two services in one JVM or host never share transactional ids. An instance named
     * by a random suffix does not fence its predecessor when it restarts: set the instance id where that matters.
     */
    static String instanceIdOf(String configured, String hostName, String port) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        try {
            if (Integer.parseInt(port.trim()) > 0) {
                return hostName + ":" + port.trim();
            }
        } catch (NumberFormatException e) {
            LOG.warn("micronaut.server.port is not a number ({}); naming this instance by a random suffix", port);
        }
        return hostName + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This instance's name in its transactional ids. */
    public String instanceId() {
        return instanceId;
    }

    /** Starts the workers once every bean made at start-up (topics among them) is ready. */
    @EventListener
    void onStartup(StartupEvent event) {
        for (StageListener listener : listeners) {
            StageSubscription subscription = listener.subscription();
            for (int index = 0; index < subscription.threads(); index++) {
                start(listener, subscription, index);
            }
        }
    }

    private synchronized void start(StageListener listener, StageSubscription subscription, int index) {
        String transactionalId = subscription.group() + "." + instanceId + "." + index;
        String clientId = subscription.group() + "-" + index;
        Duration pollInterval = Duration.ofMillis(settings.maxPollIntervalMs());
        KafkaConsumer<byte[], byte[]> consumer = clients.consumer(clientId, subscription.group(), Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxPollRecords()),
                        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(settings.maxPollIntervalMs()),
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(settings.sessionTimeoutMs()),
                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(settings.heartbeatIntervalMs())),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Duration transactionTimeout = Duration.ofMillis(settings.transactionTimeoutMs());
        Heartbeat heartbeat = heartbeats.register("stage " + clientId, pollInterval);
        StageWorker worker = new StageWorker("stage worker " + transactionalId, listener, consumer,
                () -> clients.transactionalProducer(clientId, transactionalId, transactionTimeout), deadLetters.get(),
                heartbeat, pollInterval, settings.transactionCommitAfter());
        Thread thread = new Thread(heartbeat.guard(worker), clientId);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("{} ended; the service is DOWN until it is "
                + "restarted", worker.name(), e));
        running.add(new Running(worker, thread, heartbeat));
        thread.start();
    }

    /**
     * Stops every worker: none takes a new record, each may finish the one in hand within the grace period, and one
     * still busy after it is interrupted and left behind, its transaction uncommitted.
     */
    @PreDestroy
    synchronized void stop() {
        running.forEach(r -> r.heartbeat().close());
        running.forEach(r -> r.worker().stop());
        long deadline = System.nanoTime() + settings.stopGrace().toNanos();
        for (Running r : running) {
            join(r.thread(), deadline);
            if (r.thread().isAlive()) {
                LOG.warn("{} did not finish its record within {}; interrupting it, the record stays uncommitted",
                        r.worker().name(), settings.stopGrace());
                r.thread().interrupt();
            }
        }
        running.clear();
    }

    private static void join(Thread thread, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.timedJoin(thread, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

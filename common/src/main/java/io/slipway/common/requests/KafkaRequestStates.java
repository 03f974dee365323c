package io.slipway.common.requests;

import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TopicTail;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.events.RequestState;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link RequestStates} read from {@code slipway.requests} with a consumer of no group: {@link #start} reads the whole
 * topic (it is compacted, one record per request) and a daemon thread then follows it, beating a {@link Heartbeat}.
 * A record it cannot decode, or that is no {@code RequestState}, is skipped, logged and counted ({@link #unreadable()}):
 * only trigger-service writes the topic and the request's next state supersedes it. A tombstone forgets the request.
 */
public final class KafkaRequestStates implements RequestStates, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestStates.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicTail<byte[], byte[]> tail;
    private final Deserializer<SpecificRecord> deserializer;
    private final Map<String, RequestState> states = new ConcurrentHashMap<>();
    private final List<Consumer<RequestState>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final Heartbeat heartbeat;
    private final Thread thread;
    private volatile boolean running = true;

    /** A reader with client id {@code <clientId>}; nothing is read before {@link #start}. */
    public KafkaRequestStates(KafkaClients clients, String clientId, Deserializer<SpecificRecord> deserializer,
                              Heartbeats heartbeats) {
        this.consumer = clients.consumer(clientId, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.tail = new TopicTail<>(consumer, List.of(Topics.REQUESTS));
        this.deserializer = deserializer;
        this.heartbeat = heartbeats.register("requests reader", Duration.ofMinutes(1));
        this.thread = new Thread(heartbeat.guard(this::follow), "requests-reader");
        this.thread.setDaemon(true);
    }

    /**
     * A reader that has read the topic to its end and follows it, as a service starts one at start-up; closed again
     * when the end is not reached within {@code timeout}.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the end is not reached within {@code timeout}
     */
    public static KafkaRequestStates started(KafkaClients clients, String clientId,
                                             Deserializer<SpecificRecord> deserializer, Heartbeats heartbeats,
                                             Duration timeout) {
        KafkaRequestStates states = new KafkaRequestStates(clients, clientId, deserializer, heartbeats);
        try {
            states.start(timeout);
            return states;
        } catch (RuntimeException e) {
            states.close();
            throw e;
        }
    }

    /**
     * Reads the topic to its end, then follows it on a thread of its own.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the end is not reached within {@code timeout}
     */
    public void start(Duration timeout) {
        tail.catchUp(timeout, this::apply);
        LOG.info("Read {}: {} requests known", Topics.REQUESTS, states.size());
        thread.start();
    }

    @Override
    public Optional<RequestState> get(String repository, int number) {
        return Optional.ofNullable(states.get(RequestStates.key(repository, number)));
    }

    @Override
    public AutoCloseable onChange(Consumer<RequestState> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Every request state read so far. */
    public List<RequestState> all() {
        return List.copyOf(states.values());
    }

    /** How many records were skipped as unreadable. */
    public long unreadable() {
        return unreadable.get();
    }

    private void follow() {
        try {
            while (running) {
                heartbeat.beat();
                tail.poll(KafkaClients.FOLLOWER_POLL, this::apply);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            skip(record, "no key");
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            states.remove(key);
            return;
        }
        SpecificRecord decoded;
        try {
            decoded = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (ThreadDeath e) {
            throw e;
        } catch (Throwable e) {
            skip(record, e.toString());
            return;
        }
        if (!(decoded instanceof RequestState state)
                || !key.equals(RequestStates.key(state.getRepository(), state.getNumber()))) {
            skip(record, "not the RequestState of its key");
            return;
        }
        states.put(key, state);
        for (Consumer<RequestState> listener : listeners) {
            try {
                listener.accept(state);
            } catch (RuntimeException e) {
                LOG.warn("A listener of {} failed on {}: {}", Topics.REQUESTS, key, e.toString());
            }
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String why) {
        unreadable.incrementAndGet();
        LOG.warn("Skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), why);
    }

    @Override
    public void close() {
        heartbeat.close();
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ZERO);
        }
    }
}

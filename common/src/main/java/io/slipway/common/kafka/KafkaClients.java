package io.slipway.common.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The one place raw Kafka clients are made: connection and security settings (bootstrap servers, TLS, SASL) come
 * from the service's {@code kafka.*} configuration, minus Micronaut's own keys; consumers read committed records
 * only, never create topics and never commit on their own unless the code asks; producers are idempotent with
 * {@code acks=all}. Neither the configuration nor the calling code can weaken those guarantees.
 */
public final class KafkaClients {

    private static final String TRANSACTION_RETRY_BACKOFF_MS = "10";

    /**
     * The overrides of a consumer that reads only when asked (a state store catching up, the builder's look-ahead) and
     * never polls at rest: a short fetch wait costs it nothing at rest, and a read that seeks back (a store read again
     * after an aborted transaction) waits at most this long for the fetch still in flight at the old position, where a
     * follower's long wait would hold it.
     */
    public static final Map<String, String> READS_WHEN_ASKED = Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");

    /**
     * How long the loop of a consumer that follows topics (the run ledger, the request readers, the notifier's channel
     * workers, the dashboard's projection) polls at rest. A poll ends as soon as records arrive, and the loop's owner
     * wakes it ({@code wakeup()}) to stop or to catch up, so this is only how often a loop at rest comes round to beat
     * its heartbeat; it matches the followers' default fetch wait ({@code slipway.kafka.fetch-max-wait-ms}), so a poll
     * at rest costs one held fetch. Stage workers poll for 1 s instead: their loop also times their transactions.
     */
    public static final Duration FOLLOWER_POLL = Duration.ofSeconds(5);

    /**
     * How long closing a consumer that follows topics in a group waits. Closing sends the group leave over the
     * coordinator's connection, answered at once, then closes the fetch session over the connection where the broker
     * holds the consumer's fetch (up to its fetch wait) and answers nothing else before it: that close is let go
     * after this. A consumer in no group closes with {@link Duration#ZERO}: it has nothing to leave.
     */
    public static final Duration FOLLOWER_CLOSE = Duration.ofSeconds(1);

    /** Keys under {@code kafka.*} that configure Micronaut Kafka itself and mean nothing to a Kafka client. */
    private static final Set<String> MICRONAUT_KEYS = Set.of("health-timeout", "enabled");
    private static final List<String> MICRONAUT_PREFIXES = List.of("health.", "default-listener-exception-handler.",
            "embedded.", "consumers.", "producers.", "streams.");
    /** The most in-flight requests an idempotent producer may have and still keep the order of its records. */
    private static final int MAX_IN_FLIGHT = 5;

    private final Map<String, Object> settings;
    private final Map<String, Object> consumerDefaults;

    private KafkaClients(Map<String, Object> settings, Map<String, Object> consumerDefaults) {
        this.settings = settings;
        this.consumerDefaults = consumerDefaults;
    }

    /**
     * Clients configured from the entries of a service's {@code kafka.*} configuration (prefix removed), for
     * example Micronaut's {@code KafkaDefaultConfiguration#getConfig()}; Micronaut's own keys are dropped.
     */
    public static KafkaClients of(Map<?, ?> configuration) {
        Map<Object, Object> spelled = new HashMap<>(configuration);
        dropSpellingVariants(spelled);
        Map<String, Object> settings = new HashMap<>();
        spelled.forEach((key, value) -> {
            String name = String.valueOf(key);
            if (value != null && !MICRONAUT_KEYS.contains(name)
                    && MICRONAUT_PREFIXES.stream().noneMatch(name::startsWith)) {
                settings.put(name, value);
            }
        });
        return new KafkaClients(Map.copyOf(settings), Map.of());
    }

    /**
     * These clients, whose consumers take {@code defaults} (for example a service's {@code fetch.max.wait.ms}) where
     * neither the configuration nor the calling code sets the property.
     */
    public KafkaClients withConsumerDefaults(Map<String, ?> defaults) {
        return new KafkaClients(settings, Map.copyOf(defaults));
    }

    /**
     * Micronaut gives an environment variable every spelling of its name ({@code KAFKA_SASL_MECHANISM} is
     * {@code kafka.sasl.mechanism}, {@code kafka.sasl-mechanism}, …), and a Kafka client warns of each dashed one it
     * does not know. Removes a dashed key wherever its dotted spelling, the Kafka client property, is there too.
     */
    public static void dropSpellingVariants(Map<Object, Object> configuration) {
        Set<String> keys = new HashSet<>();
        configuration.keySet().forEach(key -> keys.add(String.valueOf(key)));
        configuration.keySet().removeIf(key -> {
            String name = String.valueOf(key);
            return name.contains("-") && keys.contains(name.replace('-', '.'));
        });
    }

    /**
     * The Kafka client settings named by environment variables the way the services read them: {@code KAFKA_<NAME>}
     * is the client property {@code <name>} in lower case with dots for underscores ({@code KAFKA_SASL_JAAS_CONFIG}
     * is {@code sasl.jaas.config}). Only variables that name a known consumer, producer or admin property count,
     * so unrelated variables such as {@code KAFKA_HOME} are ignored.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Set<String> known = new HashSet<>(ConsumerConfig.configNames());
        known.addAll(ProducerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        Map<String, String> settings = new HashMap<>();
        environment.forEach((variable, value) -> {
            if (variable.startsWith("KAFKA_") && value != null && !value.isBlank()) {
                String name = variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (known.contains(name)) {
                    settings.put(name, value);
                }
            }
        });
        return settings;
    }

    /**
     * Every property of a Kafka client properties file, as Kafka's own tools take it ({@code --command-config}; on the
     * dev stack {@code credentials/kafka-<principal>.properties}), keys and values trimmed.
     *
     * @throws IOException when the file cannot be read
     */
    public static Map<String, String> fromFile(Path clientProperties) throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(clientProperties)) {
            file.load(reader);
        }
        Map<String, String> settings = new HashMap<>();
        file.forEach((key, value) -> settings.put(key.toString().trim(), value.toString().trim()));
        return settings;
    }

    /** The client settings from configuration, without Micronaut's own keys: what every client starts from. */
    public Map<String, Object> settings() {
        return settings;
    }

    /**
     * The settings of a consumer: without {@code groupId} it belongs to no group (it is assigned partitions and
     * commits nothing). {@code overrides} are this client's own settings (fetch sizes, offset reset,
     * {@code enable.auto.commit=true} where the code wants it), over the configuration, over the
     * {@linkplain #withConsumerDefaults consumer defaults}; isolation level and topic creation stay fixed.
     */
    public Map<String, Object> consumerSettings(String clientId, String groupId, Map<String, ?> overrides) {
        Map<String, Object> props = new HashMap<>(consumerDefaults);
        props.putAll(settings);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putAll(overrides);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return props;
    }

    /** A consumer in no group, for reading assigned partitions: see {@link #consumerSettings}. */
    public <K, V> KafkaConsumer<K, V> consumer(String clientId, Deserializer<K> keys, Deserializer<V> values) {
        return consumer(clientId, null, Map.of(), keys, values);
    }

    /** A consumer, in group {@code groupId} unless it is null: see {@link #consumerSettings}. */
    public <K, V> KafkaConsumer<K, V> consumer(String clientId, String groupId, Map<String, ?> overrides,
                                               Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(consumerSettings(clientId, groupId, overrides), keys, values);
    }

    /**
     * The settings of a producer: records are sent without waiting for a batch ({@code linger.ms=0}, which
     * configuration may change), and always with {@code acks=all}, idempotence on and at most five requests in
     * flight, so an acknowledged record is on every in-sync replica, once, in order.
     */
    public Map<String, Object> producerSettings(String clientId) {
        Map<String, Object> props = new HashMap<>(settings);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        Object inFlight = props.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight == null || inFlight(inFlight) > MAX_IN_FLIGHT) {
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, Integer.toString(MAX_IN_FLIGHT));
        }
        return props;
    }

    private static int inFlight(Object configured) {
        try {
            return Integer.parseInt(configured.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION
                    + " must be a whole number, not '" + configured + "'", e);
        }
    }

    /** A durable producer: see {@link #producerSettings}. */
    public <K, V> Producer<K, V> producer(String clientId, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(producerSettings(clientId), keys, values);
    }

    /**
     * The settings of a transactional producer: those of {@link #producerSettings} plus {@code transactional.id}, and
     * {@code transaction.timeout.ms} when {@code transactionTimeout} is given. Unless configured, its
     * {@code retry.backoff.ms} is 10 ms rather than Kafka's 100: a transaction begun right after the last one commits
     * is refused (CONCURRENT_TRANSACTIONS) until the broker has written the last one's markers, a few milliseconds, and
     * Kafka's backoff would make each such transaction wait 100 ms (its exponential backoff still caps retries of a
     * broker that stays away at {@code retry.backoff.max.ms}). It happens: in a benchmark run of the tester committing
     * one record per transaction, its producer sent 726 {@code AddOffsetsToTxn} requests for 500 transactions (its
     * debug log), 226 retries, and the producer shortens only the partitions' retry, not the offsets', below its
     * backoff.
     */
    public Map<String, Object> transactionalProducerSettings(String clientId, String transactionalId,
                                                             Duration transactionTimeout) {
        Map<String, Object> props = producerSettings(clientId);
        props.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, TRANSACTION_RETRY_BACKOFF_MS);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        if (transactionTimeout != null) {
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()));
        }
        return props;
    }

    /**
     * A durable transactional producer of raw bytes with the configured (or Kafka's default) transaction timeout:
     * see {@link #transactionalProducerSettings}. The caller calls {@code initTransactions()}, which fences every
     * earlier producer with the same {@code transactionalId} and aborts its open transaction.
     */
    public Producer<byte[], byte[]> transactionalProducer(String clientId, String transactionalId) {
        return transactionalProducer(clientId, transactionalId, null);
    }

    /** A durable transactional producer of raw bytes whose transactions time out after {@code transactionTimeout}. */
    public Producer<byte[], byte[]> transactionalProducer(String clientId, String transactionalId,
                                                          Duration transactionTimeout) {
        return new KafkaProducer<>(transactionalProducerSettings(clientId, transactionalId, transactionTimeout),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The settings of an admin client: the connection and security settings and its client id. */
    public Map<String, Object> adminSettings(String clientId) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    /** An admin client: see {@link #adminSettings}. */
    public Admin admin(String clientId) {
        return Admin.create(adminSettings(clientId));
    }
}

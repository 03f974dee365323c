package io.slipway.devstack;

import io.slipway.devstack.registry.SchemaRegistryServer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The Slipway development stack in one process: a real KRaft Kafka broker plus the Confluent-compatible schema
 * registry whose schemas live in that broker's {@code _schemas} topic. Everything is kept under one data directory,
 * so stopping and starting again on the same directory keeps topics, unconsumed records and schema ids.
 * <p>
 * Secured ({@code SLIPWAY_KAFKA_SECURITY=sasl}, what {@code ./slipway up} runs), clients log in with SCRAM as one of
 * {@link KafkaCredentials#PRINCIPALS} (the registry as {@code schema-registry}), and {@link PipelineCluster} sets the
 * ACLs and creates every topic, as the platform team would, since no service may create topics there.
 */
public final class DevStack implements AutoCloseable {

    public static final String KAFKA_PORT_ENV = "SLIPWAY_KAFKA_PORT";
    public static final String CONTROLLER_PORT_ENV = "SLIPWAY_CONTROLLER_PORT";
    public static final String REGISTRY_PORT_ENV = "SLIPWAY_REGISTRY_PORT";
    public static final String DATA_DIR_ENV = "SLIPWAY_DATA_DIR";
    public static final String REGISTRY_BASIC_AUTH_ENV = "SLIPWAY_REGISTRY_BASIC_AUTH";
    public static final String DEFAULT_DATA_DIR = ".slipway/devstack";
    /** {@code plaintext} (anyone may do anything) or {@code sasl} (SCRAM logins and ACLs). */
    public static final String SECURITY_ENV = "SLIPWAY_KAFKA_SECURITY";
    /** Where the {@code kafka-<principal>.properties} files are (made when missing) when secured. */
    public static final String CREDENTIALS_ENV = "SLIPWAY_KAFKA_CREDENTIALS";
    /** Partitions of each topic the secured stack creates, the services' own setting (3 by default). */
    public static final String PARTITIONS_ENV = "SLIPWAY_TOPIC_PARTITIONS";
    public static final int DEFAULT_PARTITIONS = 3;

    /** Exit code of {@link #main} when a port is taken or a setting is invalid. */
    public static final int EXIT_CONFIGURATION = ServerSettings.EXIT_CONFIGURATION;

    private final EmbeddedKafka kafka;
    private final SchemaRegistryServer registry;

    private DevStack(EmbeddedKafka kafka, SchemaRegistryServer registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts Kafka (data in {@code dir/kafka}) and the registry on the given 127.0.0.1 ports; returns once both answer. */
    public static DevStack start(Path dir, int kafkaPort, int controllerPort, int registryPort) {
        return start(dir, kafkaPort, controllerPort, registryPort, null);
    }

    /**
     * Like {@link #start(Path, int, int, int)}, with the registry requiring HTTP basic authentication
     * {@code "user:password"} when {@code registryBasicAuth} is not null.
     *
     * @throws PortInUseException when one of the ports is already taken
     */
    public static DevStack start(Path dir, int kafkaPort, int controllerPort, int registryPort, String registryBasicAuth) {
        return start(dir, kafkaPort, controllerPort, registryPort, registryBasicAuth, null, DEFAULT_PARTITIONS);
    }

    /**
     * Like {@link #start(Path, int, int, int, String)}; with {@code credentials}, Kafka requires SCRAM logins, its ACLs
     * become the {@link PipelineAcls} and every Slipway topic is created with {@code partitions} partitions.
     *
     * @throws PortInUseException when one of the ports is already taken
     */
    public static DevStack start(Path dir, int kafkaPort, int controllerPort, int registryPort, String registryBasicAuth,
                                 KafkaCredentials credentials, int partitions) {
        ServerSettings.requireFree(EmbeddedKafka.HOST, kafkaPort, "Kafka broker", KAFKA_PORT_ENV);
        ServerSettings.requireFree(EmbeddedKafka.HOST, controllerPort, "Kafka KRaft controller", CONTROLLER_PORT_ENV);
        if (registryPort != 0) {
            ServerSettings.requireFree(EmbeddedKafka.HOST, registryPort, "schema registry", REGISTRY_PORT_ENV);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"), kafkaPort, controllerPort, credentials).start();
        try {
            if (credentials != null) {
                PipelineCluster.provision(kafka, partitions);
            }
            SchemaRegistryServer registry = new SchemaRegistryServer(kafka.clientSettings(KafkaCredentials.SCHEMA_REGISTRY),
                    EmbeddedKafka.HOST, registryPort, registryBasicAuth).start();
            return new DevStack(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:<kafka port>}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Bootstrap servers and, when secured, the security settings of {@code principal}. */
    public Map<String, Object> clientSettings(String principal) {
        return kafka.clientSettings(principal);
    }

    /** {@code http://127.0.0.1:<registry port>}. */
    public String registryUrl() {
        return registry.url();
    }

    /** Creates a topic (replication factor 1) unless it exists and waits until it can be used. */
    public void createTopic(String name, int partitions) {
        kafka.createTopic(name, partitions, Map.of());
    }

    /** Stops the registry, then Kafka, waiting for both. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }

    /**
     * Runs the stack until SIGTERM/Ctrl-C. Settings come from system properties or environment variables of the same
     * name: {@code SLIPWAY_KAFKA_PORT} (9092), {@code SLIPWAY_CONTROLLER_PORT} (9093), {@code SLIPWAY_REGISTRY_PORT}
     * (8081), {@code SLIPWAY_DATA_DIR} ({@code .slipway/devstack}), {@code SLIPWAY_REGISTRY_BASIC_AUTH} (none),
     * {@code SLIPWAY_KAFKA_SECURITY} ({@code plaintext}; {@code sasl} secures Kafka), {@code SLIPWAY_KAFKA_CREDENTIALS}
     * ({@code credentials} beside the data directory), {@code SLIPWAY_TOPIC_PARTITIONS} (3).
     */
    public static void main(String[] args) throws InterruptedException {
        ServerSettings settings = ServerSettings.system();
        ServerProcess.serve("Slipway devstack", () -> start(settings), stack -> "Slipway devstack ready: kafka="
                + stack.bootstrapServers() + " (" + (stack.kafka.secured() ? "SASL SCRAM, ACLs" : "plaintext")
                + ") schema-registry=" + stack.registryUrl());
    }

    private static DevStack start(ServerSettings settings) {
        Path dir = Path.of(settings.get(DATA_DIR_ENV, DEFAULT_DATA_DIR)).toAbsolutePath();
        KafkaCredentials credentials = switch (settings.get(SECURITY_ENV, "plaintext").toLowerCase(Locale.ROOT)) {
            case "plaintext" -> null;
            case "sasl" -> KafkaCredentials.loadOrCreate(Path.of(settings.get(CREDENTIALS_ENV,
                    dir.resolveSibling("credentials").toString())));
            default -> throw new IllegalArgumentException(SECURITY_ENV + "=" + settings.get(SECURITY_ENV, "")
                    + " is neither plaintext nor sasl.");
        };
        return start(dir, settings.port(KAFKA_PORT_ENV, EmbeddedKafka.DEFAULT_BROKER_PORT),
                settings.port(CONTROLLER_PORT_ENV, EmbeddedKafka.DEFAULT_CONTROLLER_PORT),
                settings.port(REGISTRY_PORT_ENV, SchemaRegistryServer.DEFAULT_PORT),
                settings.get(REGISTRY_BASIC_AUTH_ENV, null), credentials, partitions(settings));
    }

    /** {@code SLIPWAY_TOPIC_PARTITIONS}: partitions of each topic a secured stack creates. */
    static int partitions(ServerSettings settings) {
        return settings.number(PARTITIONS_ENV, DEFAULT_PARTITIONS, 1, 1000, "a partition count");
    }
}

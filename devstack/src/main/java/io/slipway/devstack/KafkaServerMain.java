package io.slipway.devstack;

import java.nio.file.Path;

/**
 * One secured Slipway Kafka node (KRaft broker and controller) as its own process, the entry point of the
 * {@code slipway/kafka} image and usable without Docker: SCRAM logins with the passwords of
 * {@code SLIPWAY_KAFKA_PASSWORD_<PRINCIPAL>}, the {@link PipelineAcls} and every Slipway topic, data in
 * {@code SLIPWAY_DATA_DIR}. Each start gives every principal the password the environment holds now, so a changed
 * password takes effect on restart; topics, records and ACLs stay in the data directory.
 */
public final class KafkaServerMain {

    public static final String DEFAULT_DATA_DIR = "/var/lib/kafka";
    public static final String LISTEN_ENV = "SLIPWAY_KAFKA_LISTEN";
    public static final String ADVERTISED_ENV = "SLIPWAY_KAFKA_ADVERTISED";
    public static final String EXTERNAL_PORT_ENV = "SLIPWAY_KAFKA_EXTERNAL_PORT";
    public static final String EXTERNAL_ADVERTISED_ENV = "SLIPWAY_KAFKA_EXTERNAL_ADVERTISED";
    public static final String READY = "Slipway kafka ready";

    private KafkaServerMain() {
    }

    /**
     * Starts the node {@code settings} describe and returns it serving, ACLs set and topics created.
     * Settings: {@code SLIPWAY_DATA_DIR} (/var/lib/kafka), {@code SLIPWAY_KAFKA_LISTEN} (127.0.0.1),
     * {@code SLIPWAY_KAFKA_ADVERTISED} (required when listening on every address; else listen host and port),
     * {@code SLIPWAY_KAFKA_PORT} (9092), {@code SLIPWAY_CONTROLLER_PORT} (9093, on loopback),
     * {@code SLIPWAY_KAFKA_EXTERNAL_PORT} with {@code SLIPWAY_KAFKA_EXTERNAL_ADVERTISED} (none),
     * {@code SLIPWAY_TOPIC_PARTITIONS} (3) and every {@code SLIPWAY_KAFKA_PASSWORD_<PRINCIPAL>}.
     *
     * @throws IllegalArgumentException when a setting is missing or invalid
     * @throws PortInUseException       when a port is taken
     */
    public static EmbeddedKafka start(ServerSettings settings) {
        KafkaCredentials credentials = KafkaCredentials.fromEnvironment(settings::raw);
        Path dataDir = Path.of(settings.get(DevStack.DATA_DIR_ENV, DEFAULT_DATA_DIR)).toAbsolutePath();
        int port = settings.port(DevStack.KAFKA_PORT_ENV, EmbeddedKafka.DEFAULT_BROKER_PORT);
        int controllerPort = settings.port(DevStack.CONTROLLER_PORT_ENV, EmbeddedKafka.DEFAULT_CONTROLLER_PORT);
        int partitions = DevStack.partitions(settings);
        EmbeddedKafka.Network network = network(settings, port);
        ServerSettings.requireFree(network.listenHost(), port, "Kafka broker", DevStack.KAFKA_PORT_ENV);
        ServerSettings.requireFree(EmbeddedKafka.HOST, controllerPort, "Kafka KRaft controller",
                DevStack.CONTROLLER_PORT_ENV);
        if (network.externalPort() > 0) {
            ServerSettings.requireFree(network.listenHost(), network.externalPort(), "Kafka external listener",
                    EXTERNAL_PORT_ENV);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, port, controllerPort, credentials, network).start();
        try {
            PipelineCluster.provision(kafka, partitions);
            return kafka;
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    private static EmbeddedKafka.Network network(ServerSettings settings, int port) {
        String listen = settings.get(LISTEN_ENV, EmbeddedKafka.HOST);
        boolean everyAddress = listen.equals("0.0.0.0") || listen.equals("::");
        String advertised = everyAddress ? settings.required(ADVERTISED_ENV,
                "the host:port clients reach this broker by when it listens on " + listen)
                : settings.get(ADVERTISED_ENV, listen + ":" + port);
        int externalPort = settings.get(EXTERNAL_PORT_ENV, null) == null ? 0 : settings.port(EXTERNAL_PORT_ENV, 0);
        String externalAdvertised = externalPort == 0 ? null : settings.required(EXTERNAL_ADVERTISED_ENV,
                "the host:port the external listener's clients reach it by");
        if (externalPort == 0 && settings.get(EXTERNAL_ADVERTISED_ENV, null) != null) {
            throw new IllegalArgumentException(EXTERNAL_ADVERTISED_ENV + " is set but " + EXTERNAL_PORT_ENV + " is not.");
        }
        try {
            return new EmbeddedKafka.Network(listen, advertised, externalPort, externalAdvertised);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ADVERTISED_ENV + "/" + EXTERNAL_ADVERTISED_ENV + ": " + e.getMessage(), e);
        }
    }

    /** Runs the node until SIGTERM; exit code 2 for a configuration error, 1 when Kafka cannot start. */
    public static void main(String[] args) throws InterruptedException {
        ServerProcess.serve("Slipway kafka", () -> start(ServerSettings.system()),
                kafka -> READY + ": " + kafka.bootstrapServers() + " (SASL SCRAM, ACLs), data in " + kafka.dataDir());
    }
}

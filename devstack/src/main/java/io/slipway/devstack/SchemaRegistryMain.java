package io.slipway.devstack;

import io.slipway.devstack.registry.SchemaRegistryServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Confluent-compatible schema registry as its own process against a remote secured Kafka, the entry point of the
 * {@code slipway/schema-registry} image: logs in as {@code schema-registry} (which may touch {@code _schemas} only),
 * waits a bounded time for Kafka to serve it, and requires HTTP basic authentication for writes when
 * {@code SLIPWAY_REGISTRY_BASIC_AUTH} is set (reads stay anonymous, as the services' serdes read).
 */
public final class SchemaRegistryMain {

    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String LISTEN_ENV = "SLIPWAY_REGISTRY_LISTEN";
    /** How long to wait for Kafka to accept the registry (seconds, 120 by default). */
    public static final String WAIT_ENV = "SLIPWAY_KAFKA_WAIT_SECONDS";
    public static final String READY = "Slipway schema registry ready";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private SchemaRegistryMain() {
    }

    /**
     * Starts the registry {@code settings} describe ({@code KAFKA_BOOTSTRAP_SERVERS},
     * {@code SLIPWAY_KAFKA_PASSWORD_SCHEMA_REGISTRY}, {@code SLIPWAY_REGISTRY_LISTEN} (127.0.0.1),
     * {@code SLIPWAY_REGISTRY_PORT} (8081), {@code SLIPWAY_REGISTRY_BASIC_AUTH}, {@code SLIPWAY_KAFKA_WAIT_SECONDS}
     * (120)) and returns it serving, once Kafka lets it read and write {@code _schemas}.
     *
     * @throws IllegalArgumentException when a setting is missing or invalid, or Kafka refuses the password
     * @throws IllegalStateException    when Kafka does not serve the registry within the wait
     */
    public static SchemaRegistryServer start(ServerSettings settings) {
        String bootstrap = settings.required(BOOTSTRAP_ENV, "Kafka's host:port");
        String passwordEnv = KafkaCredentials.environmentVariable(KafkaCredentials.SCHEMA_REGISTRY);
        String password = settings.raw(passwordEnv);
        String problem = KafkaCredentials.passwordProblem(passwordEnv, password);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": it must hold the password of Kafka's schema-registry principal.");
        }
        String listen = settings.get(LISTEN_ENV, EmbeddedKafka.HOST);
        int port = settings.port(DevStack.REGISTRY_PORT_ENV, SchemaRegistryServer.DEFAULT_PORT);
        String basicAuth = settings.get(DevStack.REGISTRY_BASIC_AUTH_ENV, null);
        if (basicAuth != null && basicAuth.indexOf(':') < 1) {
            throw new IllegalArgumentException(DevStack.REGISTRY_BASIC_AUTH_ENV + " must be user:password.");
        }
        Duration wait = Duration.ofSeconds(settings.number(WAIT_ENV, 120, 1, 3600, "a number of seconds"));
        ServerSettings.requireFree(listen, port, "schema registry", DevStack.REGISTRY_PORT_ENV);
        Map<String, Object> client = new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, KafkaCredentials.PROTOCOL,
                SaslConfigs.SASL_MECHANISM, KafkaCredentials.MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG,
                KafkaCredentials.jaasConfig(KafkaCredentials.SCHEMA_REGISTRY, password)));
        // Not a static field: logging must start after main has chosen its configuration.
        Logger log = LoggerFactory.getLogger(SchemaRegistryMain.class);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            RuntimeException failure;
            try {
                probe(client);
                return new SchemaRegistryServer(client, listen, port, basicAuth).start();
            } catch (RuntimeException e) {
                failure = e;
            }
            if (causedBy(failure, SaslAuthenticationException.class)) {
                throw new IllegalArgumentException("Kafka at " + bootstrap + " refused the login of "
                        + KafkaCredentials.SCHEMA_REGISTRY + " (check " + passwordEnv + "): " + failure.getMessage(), failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka at " + bootstrap + " did not serve the schema registry within "
                        + wait.toSeconds() + " s: " + failure.getMessage(), failure);
            }
            log.info("Waiting for Kafka at {}: {}", bootstrap, failure.getMessage());
            pause();
        }
    }

    /** Fails fast (within {@link #PROBE_TIMEOUT}) while Kafka is unreachable or refuses the login. */
    private static void probe(Map<String, Object> client) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(settings)) {
            admin.describeCluster().nodes().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Kafka", e);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot reach Kafka: " + cause.getMessage(), cause);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    /** Runs the registry until SIGTERM; exit code 2 for a configuration error, 1 when Kafka does not serve it. */
    public static void main(String[] args) throws InterruptedException {
        ServerProcess.serve("Slipway schema registry", () -> start(ServerSettings.system()), registry -> READY + ": " + registry.url());
    }
}

package io.slipway.common.kafka;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class KafkaClientsTest {

    private static final Map<String, String> SECURITY = Map.of(
            "bootstrap.servers", "broker-1:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"slipway\" password=\"secret\";",
            "ssl.truststore.location", "/etc/kafka/truststore.p12");

    @Test
    void aClientPropertiesFileGivesEveryPropertyTrimmedAndAMissingFileSaysSo(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("kafka-ops.properties"), """
                # Kafka client settings of the dev stack's principal 'ops'.
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism = SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="ops" password="p";
                """);

        assertThat(KafkaClients.fromFile(file)).containsOnly(entry("security.protocol", "SASL_PLAINTEXT"),
                entry("sasl.mechanism", "SCRAM-SHA-512"), entry("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ops\" password=\"p\";"));
        assertThatThrownBy(() -> KafkaClients.fromFile(dir.resolve("missing.properties"))).isInstanceOf(IOException.class);
    }

    @Test
    void securitySettingsReachEveryKindOfClient() {
        KafkaClients clients = KafkaClients.of(SECURITY);

        assertThat(clients.consumerSettings("reader", null, Map.of())).containsAllEntriesOf(SECURITY);
        assertThat(clients.consumerSettings("worker", "group", Map.of())).containsAllEntriesOf(SECURITY);
        assertThat(clients.producerSettings("writer")).containsAllEntriesOf(SECURITY);
        assertThat(clients.adminSettings("topics")).containsAllEntriesOf(SECURITY);
    }

    @Test
    void configurationCannotWeakenTheProducersDurability() {
        KafkaClients clients = KafkaClients.of(Map.of("bootstrap.servers", "broker-1:9092", "acks", "1",
                "enable.idempotence", "false", "max.in.flight.requests.per.connection", "50", "linger.ms", "20"));

        assertThat(clients.producerSettings("writer")).contains(entry("acks", "all"),
                entry("enable.idempotence", "true"), entry("max.in.flight.requests.per.connection", "5"),
                entry("client.id", "writer"), entry("linger.ms", "20"));
    }

    @Test
    void aProducerSendsWithoutWaitingForABatchAndKeepsAStricterInFlightLimit() {
        KafkaClients clients = KafkaClients.of(Map.of("max.in.flight.requests.per.connection", "1"));

        assertThat(clients.producerSettings("writer")).contains(entry("linger.ms", "0"),
                entry("max.in.flight.requests.per.connection", "1"));
    }

    @Test
    void aMalformedInFlightLimitIsNamed() {
        KafkaClients clients = KafkaClients.of(Map.of("max.in.flight.requests.per.connection", "many"));

        assertThatThrownBy(() -> clients.producerSettings("writer")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max.in.flight.requests.per.connection").hasMessageContaining("'many'");
    }

    @Test
    void consumersReadCommittedRecordsCreateNoTopicsAndCommitOnlyWhereTheCodeAsks() {
        KafkaClients clients = KafkaClients.of(Map.of("isolation.level", "read_uncommitted",
                "allow.auto.create.topics", "true", "enable.auto.commit", "true", "max.poll.records", "7"));

        Map<String, Object> fromConfiguration = clients.consumerSettings("reader", "group", Map.of());
        Map<String, Object> askedByCode = clients.consumerSettings("reader", "group", Map.of(
                "enable.auto.commit", "true", "isolation.level", "read_uncommitted", "max.poll.records", "20"));

        assertThat(fromConfiguration).contains(entry("isolation.level", "read_committed"),
                entry("allow.auto.create.topics", "false"), entry("enable.auto.commit", "false"),
                entry("max.poll.records", "7"), entry("group.id", "group"), entry("client.id", "reader"));
        assertThat(askedByCode).contains(entry("enable.auto.commit", "true"),
                entry("isolation.level", "read_committed"), entry("max.poll.records", "20"));
    }

    @Test
    void consumerDefaultsGiveWayToTheConfigurationAndToTheCode() {
        KafkaClients defaults = KafkaClients.of(Map.of()).withConsumerDefaults(Map.of("fetch.max.wait.ms", "5000"));
        KafkaClients configured = KafkaClients.of(Map.of("fetch.max.wait.ms", "700"))
                .withConsumerDefaults(Map.of("fetch.max.wait.ms", "5000"));

        assertThat(defaults.consumerSettings("reader", null, Map.of())).contains(entry("fetch.max.wait.ms", "5000"));
        assertThat(configured.consumerSettings("reader", null, Map.of())).contains(entry("fetch.max.wait.ms", "700"));
        assertThat(configured.consumerSettings("reader", null, Map.of("fetch.max.wait.ms", "20")))
                .contains(entry("fetch.max.wait.ms", "20"));
        assertThat(defaults.producerSettings("writer")).doesNotContainKey("fetch.max.wait.ms");
        assertThat(defaults.adminSettings("admin")).doesNotContainKey("fetch.max.wait.ms");
    }

    @Test
    void aConsumerWithoutGroupIgnoresAConfiguredGroup() {
        KafkaClients clients = KafkaClients.of(Map.of("group.id", "configured"));

        assertThat(clients.consumerSettings("reader", null, Map.of())).doesNotContainKey("group.id");
    }

    @Test
    void micronautsOwnKeysAreNotHandedToClients() {
        KafkaClients clients = KafkaClients.of(Map.of("bootstrap.servers", "broker-1:9092", "health-timeout", "10s",
                "health.enabled", "true", "enabled", "true",
                "default-listener-exception-handler.skip-record-on-deserialization-failure", "true"));

        assertThat(clients.settings()).containsOnlyKeys("bootstrap.servers");
        assertThat(clients.producerSettings("writer")).doesNotContainKeys("health-timeout", "health.enabled", "enabled");
    }

    @Test
    void aServicesKafkaConfigurationBecomesItsClientSettings() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "kafka.bootstrap.servers", "broker-1:9093",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.health-timeout", "5s",
                "slipway.kafka.create-topics", "false"))) {
            Map<String, Object> settings = context.getBean(KafkaClients.class).settings();

            assertThat(settings).contains(entry("bootstrap.servers", "broker-1:9093"),
                    entry("security.protocol", "SASL_SSL"), entry("sasl.mechanism", "PLAIN"));
            assertThat(settings).doesNotContainKey("health-timeout");
        }
    }

    @Test
    void aSettingFromAnEnvironmentVariableReachesTheClientsUnderItsKafkaNameOnly() {
        PropertySource environment = PropertySource.of("env", Map.<String, Object>of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "login required;",
                "SLIPWAY_KAFKA_CREATE_TOPICS", "false"), PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE);
        try (ApplicationContext context = ApplicationContext.builder().propertySources(environment).start()) {
            Map<Object, Object> listeners = context.getBean(KafkaDefaultConfiguration.class).getConfig();
            Map<String, Object> clients = context.getBean(KafkaClients.class).settings();

            assertThat(listeners).contains(entry("sasl.mechanism", "SCRAM-SHA-512"),
                    entry("sasl.jaas.config", "login required;"), entry("security.protocol", "SASL_PLAINTEXT"));
            assertThat(listeners.keySet()).noneMatch(key -> key.toString().matches("(sasl|security)[-.].*-.*|(sasl|security)-.*"));
            assertThat(clients).contains(entry("sasl.mechanism", "SCRAM-SHA-512"))
                    .doesNotContainKeys("sasl-mechanism", "sasl.jaas-config", "sasl-jaas-config", "security-protocol");
        }
    }

    @Test
    void environmentVariablesNameClientPropertiesAsForTheServices() {
        Map<String, String> settings = KafkaClients.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", "login required;",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12",
                "KAFKA_HOME", "/opt/kafka",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "KAFKA_SASL_MECHANISM", "",
                "SLIPWAY_KAFKA_PARTITIONS", "3"));

        assertThat(settings).containsOnly(entry("bootstrap.servers", "broker-1:9093"),
                entry("security.protocol", "SASL_SSL"), entry("sasl.jaas.config", "login required;"),
                entry("ssl.truststore.location", "/etc/kafka/truststore.p12"));
    }

    @Test
    void aTransactionalProducerRetriesABusyTransactionSoonUnlessConfiguredOtherwise() {
        assertThat(KafkaClients.of(Map.of()).transactionalProducerSettings("stage", "stage.1.0", null))
                .containsEntry("retry.backoff.ms", "10").containsEntry("transactional.id", "stage.1.0");
        assertThat(KafkaClients.of(Map.of("retry.backoff.ms", "50"))
                .transactionalProducerSettings("stage", "stage.1.0", null))
                .containsEntry("retry.backoff.ms", "50");
        assertThat(KafkaClients.of(Map.of()).producerSettings("events")).doesNotContainKey("retry.backoff.ms");
    }
}

package io.slipway.devstack;

import io.slipway.devstack.registry.SchemaRegistryServer;
import io.slipway.devstack.support.KafkaTestClients;
import io.slipway.devstack.support.RegistryHttp;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** KafkaServerMain and SchemaRegistryMain as a container runs them: settings from the environment, passwords too. */
class ServerMainsTest {

    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

    private static Path dir;
    private static Map<String, String> environment;
    private static EmbeddedKafka kafka;
    private static int externalPort;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("slipway-servers-");
        externalPort = LoopbackPorts.free();
        environment = new HashMap<>(passwords());
        environment.putAll(Map.of(DevStack.DATA_DIR_ENV, dir.resolve("kafka").toString(),
                DevStack.KAFKA_PORT_ENV, String.valueOf(LoopbackPorts.free()),
                DevStack.CONTROLLER_PORT_ENV, String.valueOf(LoopbackPorts.free()),
                KafkaServerMain.EXTERNAL_PORT_ENV, String.valueOf(externalPort),
                KafkaServerMain.EXTERNAL_ADVERTISED_ENV, "localhost:" + externalPort,
                DevStack.PARTITIONS_ENV, "1"));
        kafka = KafkaServerMain.start(ServerSettings.of(environment));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void eachPrincipalLogsInWithItsPasswordFromTheEnvironmentAndMayDoOnlyWhatThePipelineAclsAllow() throws Exception {
        try (KafkaProducer<String, String> builder = producer(login("builder", environment))) {
            builder.send(new ProducerRecord<>(Topics.IMAGES, "servers", "built")).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> builder.send(new ProducerRecord<>(Topics.TESTS, "servers", "forged")).get(30,
                    TimeUnit.SECONDS)).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> registry = producer(login(KafkaCredentials.SCHEMA_REGISTRY, environment))) {
            assertThatThrownBy(() -> registry.send(new ProducerRecord<>(Topics.COMMITS, "servers", "forged")).get(30,
                    TimeUnit.SECONDS)).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = Admin.create(login(KafkaCredentials.ADMIN, environment))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains(Topics.COMMITS, Topics.deadLetter(Topics.COMMITS));
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> impostor = login("tester", environment);
        impostor.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaCredentials.jaasConfig("tester", "guessed-but-long-enough"));
        try (KafkaProducer<String, String> producer = producer(impostor)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TESTS, "servers", "forged")).get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aMissingOrShortPasswordIsAConfigurationErrorNamingTheVariable() {
        Map<String, String> missing = new HashMap<>(environment);
        missing.remove("SLIPWAY_KAFKA_PASSWORD_DEPLOYER");
        missing.put("SLIPWAY_KAFKA_PASSWORD_SCHEMA_REGISTRY", "short");

        assertThatThrownBy(() -> KafkaServerMain.start(ServerSettings.of(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SLIPWAY_KAFKA_PASSWORD_DEPLOYER is not set")
                .hasMessageContaining("SLIPWAY_KAFKA_PASSWORD_SCHEMA_REGISTRY is shorter than 16 characters")
                .hasMessageNotContaining("short;");
    }

    @Test
    void listeningOnEveryAddressWithoutAnAdvertisedAddressIsAConfigurationError() {
        Map<String, String> settings = new HashMap<>(environment);
        settings.put(KafkaServerMain.LISTEN_ENV, "0.0.0.0");

        assertThatThrownBy(() -> KafkaServerMain.start(ServerSettings.of(settings)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(KafkaServerMain.ADVERTISED_ENV);
    }

    @Test
    void aClientBootstrappingThroughTheExternalListenerIsToldItsAddress() throws Exception {
        Map<String, Object> external = login(KafkaCredentials.OPS, environment);
        external.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + externalPort);

        assertThat(nodes(external)).singleElement()
                .satisfies(node -> assertThat(node.host() + ":" + node.port()).isEqualTo("localhost:" + externalPort));
        assertThat(nodes(login(KafkaCredentials.OPS, environment))).singleElement()
                .satisfies(node -> assertThat(node.host() + ":" + node.port()).isEqualTo(kafka.bootstrapServers()));
    }

    @Test
    void aRestartOnTheSameDirectoryKeepsRecordsAndTakesAChangedPassword() throws Exception {
        Map<String, String> first = new HashMap<>(passwords());
        first.putAll(Map.of(DevStack.DATA_DIR_ENV, dir.resolve("restarted").toString(),
                DevStack.KAFKA_PORT_ENV, String.valueOf(LoopbackPorts.free()),
                DevStack.CONTROLLER_PORT_ENV, String.valueOf(LoopbackPorts.free()),
                DevStack.PARTITIONS_ENV, "1"));
        try (EmbeddedKafka node = KafkaServerMain.start(ServerSettings.of(first));
             KafkaProducer<String, String> tester = producer(login("tester", first, node))) {
            tester.send(new ProducerRecord<>(Topics.FAILURES, "restart", "kept")).get(30, TimeUnit.SECONDS);
        }
        Map<String, String> second = new HashMap<>(first);
        second.put("SLIPWAY_KAFKA_PASSWORD_OPS", "renewed-" + UUID.randomUUID());

        try (EmbeddedKafka node = KafkaServerMain.start(ServerSettings.of(second))) {
            assertThat(read(login(KafkaCredentials.OPS, second, node), Topics.FAILURES)).contains("kept");
            assertThatThrownBy(() -> read(login(KafkaCredentials.OPS, first, node), Topics.FAILURES))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theRegistryKeepsSchemasInKafkaAsItsOwnPrincipalAndTakesWritesWithBasicAuthOnly() {
        try (SchemaRegistryServer registry = SchemaRegistryMain.start(ServerSettings.of(registrySettings(
                environment.get("SLIPWAY_KAFKA_PASSWORD_SCHEMA_REGISTRY"))))) {
            RegistryHttp anonymous = new RegistryHttp(registry.url());
            RegistryHttp writer = new RegistryHttp(registry.url(), "writer:registry-secret");
            String subject = "probe-" + UUID.randomUUID();

            assertThat(anonymous.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(SCHEMA)).status())
                    .isEqualTo(401);
            int id = writer.register(subject, SCHEMA);

            assertThat(anonymous.get("/schemas/ids/" + id).status()).isEqualTo(200);
            assertThat(anonymous.get("/subjects").body().toString()).contains(subject);
        }
    }

    @Test
    void theRegistryRefusedByKafkaStopsAtOnceWithAConfigurationError() {
        assertThatThrownBy(() -> SchemaRegistryMain.start(ServerSettings.of(registrySettings("wrong-password-but-long"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refused the login of schema-registry");
    }

    @Test
    void theRegistryGivesUpOnAnUnreachableKafkaAfterItsWait() {
        Map<String, String> settings = registrySettings(environment.get("SLIPWAY_KAFKA_PASSWORD_SCHEMA_REGISTRY"));
        settings.put(SchemaRegistryMain.BOOTSTRAP_ENV, "127.0.0.1:" + LoopbackPorts.free());
        settings.put(SchemaRegistryMain.WAIT_ENV, "1");

        assertThatThrownBy(() -> SchemaRegistryMain.start(ServerSettings.of(settings)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not serve the schema registry");
    }

    private static Map<String, String> registrySettings(String password) {
        return new HashMap<>(Map.of(SchemaRegistryMain.BOOTSTRAP_ENV, kafka.bootstrapServers(),
                "SLIPWAY_KAFKA_PASSWORD_SCHEMA_REGISTRY", password,
                DevStack.REGISTRY_PORT_ENV, String.valueOf(LoopbackPorts.free()),
                DevStack.REGISTRY_BASIC_AUTH_ENV, "writer:registry-secret"));
    }

    private static Map<String, String> passwords() {
        Map<String, String> passwords = new HashMap<>();
        for (String principal : KafkaCredentials.PRINCIPALS) {
            passwords.put(KafkaCredentials.environmentVariable(principal), "pw-" + principal + "-" + UUID.randomUUID());
        }
        return passwords;
    }

    private static Map<String, Object> login(String principal, Map<String, String> settings) {
        return login(principal, settings, kafka);
    }

    private static Map<String, Object> login(String principal, Map<String, String> settings, EmbeddedKafka node) {
        Map<String, Object> client = new HashMap<>(KafkaCredentials.fromEnvironment(settings::get).clientSettings(principal));
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        return client;
    }

    private static Collection<Node> nodes(Map<String, Object> client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> settings) {
        return KafkaTestClients.producer(settings);
    }

    private static List<String> read(Map<String, Object> settings, String topic) {
        return KafkaTestClients.readSome(settings, PipelineAcls.OPS_GROUP_PREFIX + UUID.randomUUID(), topic);
    }
}

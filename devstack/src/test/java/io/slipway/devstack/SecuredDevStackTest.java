package io.slipway.devstack;

import io.slipway.devstack.support.KafkaTestClients;
import io.slipway.devstack.support.RegistryHttp;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The secured dev stack against a real broker: who may log in, write, read and join which group. */
class SecuredDevStackTest {

    private static Path dir;
    private static DevStack stack;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("slipway-secured-");
        stack = DevStack.start(dir.resolve("devstack"), LoopbackPorts.free(), LoopbackPorts.free(), 0, null,
                KafkaCredentials.loadOrCreate(dir.resolve("credentials")), 1);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void credentialFilesAreReadableByTheirOwnerOnlyAndKeptAcrossLoads() throws IOException {
        Path credentials = dir.resolve("credentials");
        assertThat(Files.getPosixFilePermissions(credentials)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        for (String principal : KafkaCredentials.PRINCIPALS) {
            assertThat(Files.getPosixFilePermissions(KafkaCredentials.fileOf(credentials, principal)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        assertThat(KafkaCredentials.loadOrCreate(credentials).password("builder"))
                .isEqualTo(KafkaCredentials.loadOrCreate(credentials).password("builder"))
                .isNotEqualTo(KafkaCredentials.loadOrCreate(credentials).password("tester"));
    }

    @Test
    void createsEveryTopicWithItsDeadLetterTopic() throws Exception {
        try (Admin admin = Admin.create(stack.clientSettings(KafkaCredentials.ADMIN))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic : Topics.allTopics()) {
                assertThat(names).contains(topic, Topics.deadLetter(topic));
            }
        }
    }

    @Test
    void anAnonymousClientIsRefused() {
        Map<String, Object> anonymous = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(anonymous, new StringSerializer(),
                new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TESTS, "e2e/app", "forged")).get())
                    .isInstanceOfAny(ExecutionException.class, org.apache.kafka.common.errors.TimeoutException.class);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> impostor = new HashMap<>(stack.clientSettings("tester"));
        impostor.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaCredentials.jaasConfig("tester", "guessed"));
        try (KafkaProducer<String, String> producer = producer(impostor)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TESTS, "e2e/app", "forged")).get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void eachStageWritesItsOwnTopicTheFailuresAndTheDeadLettersOfItsInputs() throws Exception {
        Map<String, List<String>> writes = Map.of(
                "trigger", List.of(Topics.COMMITS, Topics.TRIGGER_INTAKE, Topics.FAILURES, Topics.deadLetter(Topics.COMMITS)),
                "builder", List.of(Topics.IMAGES, Topics.LOGS, Topics.FAILURES, Topics.deadLetter(Topics.COMMITS)),
                "tester", List.of(Topics.TESTS, Topics.REPORTS, Topics.FAILURES, Topics.deadLetter(Topics.IMAGES)),
                "deliverer", List.of(Topics.ARTIFACTS, Topics.DELIVERER_STATE, Topics.FAILURES,
                        Topics.deadLetter(Topics.TESTS)),
                "notifier", List.of(Topics.NOTIFIER_DELIVERIES, Topics.NOTIFIER_STATE,
                        Topics.deadLetter(Topics.ARTIFACTS), Topics.deadLetter(Topics.FAILURES),
                        Topics.deadLetter(Topics.DEPLOYMENTS)),
                "deployer", List.of(Topics.DEPLOYMENTS, Topics.DEPLOYER_STATE, Topics.FAILURES,
                        Topics.deadLetter(Topics.ARTIFACTS)),
                "dashboard", List.of(Topics.deadLetter(Topics.COMMITS), Topics.deadLetter(Topics.FAILURES),
                        Topics.deadLetter(Topics.LOGS), Topics.deadLetter(Topics.REPORTS),
                        Topics.deadLetter(Topics.DEPLOYER_STATE)));
        for (var entry : writes.entrySet()) {
            try (KafkaProducer<String, String> producer = producer(stack.clientSettings(entry.getKey()))) {
                for (String topic : entry.getValue()) {
                    producer.send(new ProducerRecord<>(topic, "acl-test", "from " + entry.getKey())).get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void noStageWritesAnotherStagesTopicAndOpsWritesNothing() {
        Map<String, List<String>> refused = Map.of(
                "builder", List.of(Topics.TESTS, Topics.COMMITS, Topics.ARTIFACTS, Topics.DELIVERER_STATE, Topics.REPORTS),
                "tester", List.of(Topics.IMAGES, Topics.ARTIFACTS, Topics.LOGS),
                "deliverer", List.of(Topics.TESTS, Topics.NOTIFIER_STATE, Topics.DEPLOYMENTS),
                "deployer", List.of(Topics.ARTIFACTS, Topics.DELIVERER_STATE, Topics.COMMITS),
                "notifier", List.of(Topics.FAILURES, Topics.ARTIFACTS, Topics.COMMITS, Topics.DEPLOYMENTS),
                "trigger", List.of(Topics.IMAGES, Topics.TESTS, Topics.LOGS),
                "dashboard", List.of(Topics.COMMITS, Topics.FAILURES, Topics.DEPLOYMENTS, Topics.LOGS, Topics.REPORTS,
                        Topics.DEPLOYER_STATE),
                KafkaCredentials.SCHEMA_REGISTRY, List.of(Topics.COMMITS, Topics.FAILURES, Topics.deadLetter(Topics.TESTS)),
                KafkaCredentials.OPS, List.of(Topics.TESTS, Topics.FAILURES, Topics.deadLetter(Topics.TESTS)));
        refused.forEach((principal, topics) -> {
            try (KafkaProducer<String, String> producer = producer(stack.clientSettings(principal))) {
                for (String topic : topics) {
                    assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "acl-test", "forged")).get(30,
                            TimeUnit.SECONDS)).as("%s writing %s", principal, topic)
                            .cause().isInstanceOf(principal.equals(KafkaCredentials.OPS)
                                    // ops may write no topic at all, so not even an idempotent producer id is its
                                    ? ClusterAuthorizationException.class : TopicAuthorizationException.class);
                }
            }
        });
    }

    @Test
    void aStageCannotTakeAnotherStagesTransactionalIdSoItFencesNothingAndWritesNothing() throws Exception {
        String marker = "txn-" + UUID.randomUUID();
        String testersId = "tester-service." + marker + ".0";
        try (KafkaProducer<String, String> tester = transactional("tester", testersId)) {
            tester.initTransactions();
            tester.beginTransaction();
            tester.send(new ProducerRecord<>(Topics.TESTS, "acl-test", marker + " from tester")).get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> builder = transactional("builder", testersId)) {
                assertThatThrownBy(builder::initTransactions)
                        .isInstanceOf(TransactionalIdAuthorizationException.class);
            }
            try (KafkaProducer<String, String> builder = transactional("builder", "builder-service." + marker + ".0")) {
                builder.initTransactions();
                builder.beginTransaction();
                builder.send(new ProducerRecord<>(Topics.IMAGES, "acl-test", marker + " from builder"));
                builder.commitTransaction();
            }
            tester.commitTransaction();
        }
        // commitTransaction returns once the coordinator decided; the markers reach the partitions after, and only
        // then does a read_committed reader's end (the last stable offset) move past the records.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(readCommitted(Topics.TESTS, marker)).containsExactly(marker + " from tester");
            assertThat(readCommitted(Topics.IMAGES, marker)).containsExactly(marker + " from builder");
        });
    }

    @Test
    void theSchemaRegistryKeepsItsLogInSchemasAndReadsNoPipelineTopic() {
        RegistryHttp registry = new RegistryHttp(stack.registryUrl());
        String subject = "acl-probe-" + UUID.randomUUID();
        int id = registry.register(subject, "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[]}");

        assertThat(registry.get("/schemas/ids/" + id).status()).isEqualTo(200);
        // Without a group, as the registry reads: a group's refusal would hide whether the topic is readable.
        Map<String, Object> login = stack.clientSettings(KafkaCredentials.SCHEMA_REGISTRY);
        assertThatThrownBy(() -> KafkaTestClients.readSomeWithoutGroup(login, Topics.FAILURES))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void opsReadsTheFailuresAndDeadLettersInItsOwnGroupsOnly() throws Exception {
        try (KafkaProducer<String, String> producer = producer(stack.clientSettings("tester"))) {
            producer.send(new ProducerRecord<>(Topics.FAILURES, "ops-test", "a failure")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(Topics.deadLetter(Topics.IMAGES), "ops-test", "a dead letter"))
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(read(KafkaCredentials.OPS, "ops-failures-" + UUID.randomUUID(), Topics.FAILURES))
                .contains("a failure");
        assertThat(read(KafkaCredentials.OPS, "ops-dlq-" + UUID.randomUUID(), Topics.deadLetter(Topics.IMAGES)))
                .contains("a dead letter");
        assertThatThrownBy(() -> read(KafkaCredentials.OPS, "tester-service", Topics.FAILURES))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(() -> read("builder", "builder-service-" + UUID.randomUUID(), Topics.FAILURES))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void theDashboardReadsEveryPipelineTopicTheRunStreamsAndTheDeployersStateInItsOwnGroupsOnly() throws Exception {
        List<String> readable = new ArrayList<>(Topics.pipelineTopics());
        readable.addAll(List.of(Topics.LOGS, Topics.REPORTS, Topics.DEPLOYER_STATE));
        String marker = "for the dashboard " + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer(stack.clientSettings(KafkaCredentials.ADMIN))) {
            for (String topic : readable) {
                producer.send(new ProducerRecord<>(topic, "dashboard-test", marker)).get(30, TimeUnit.SECONDS);
            }
        }

        Map<String, List<String>> read = readAll("dashboard", "dashboard-service-" + UUID.randomUUID(), readable,
                marker);

        readable.forEach(topic -> assertThat(read.get(topic)).as(topic).containsExactly(marker));
        assertThatThrownBy(() -> read("dashboard", "ops-" + UUID.randomUUID(), Topics.FAILURES))
                .isInstanceOf(GroupAuthorizationException.class);
        for (String topic : List.of(Topics.NOTIFIER_STATE, Topics.DELIVERER_STATE, Topics.deadLetter(Topics.COMMITS))) {
            assertThatThrownBy(() -> read("dashboard", "dashboard-service-" + UUID.randomUUID(), topic)).as(topic)
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aDataDirectoryMadeInPlaintextIsSecuredOnItsNextStartAndSurvivesANewAdminPassword() throws Exception {
        Path data = dir.resolve("upgraded");
        int kafkaPort = LoopbackPorts.free();
        int controllerPort = LoopbackPorts.free();
        try (DevStack plaintext = DevStack.start(data, kafkaPort, controllerPort, 0)) {
            plaintext.createTopic(Topics.FAILURES, 1);
            try (KafkaProducer<String, String> producer = producer(plaintext.clientSettings(KafkaCredentials.ADMIN))) {
                producer.send(new ProducerRecord<>(Topics.FAILURES, "upgrade", "written in plaintext")).get(30, TimeUnit.SECONDS);
            }
        }
        Path credentials = dir.resolve("upgraded-credentials");
        try (DevStack secured = DevStack.start(data, kafkaPort, controllerPort, 0, null,
                KafkaCredentials.loadOrCreate(credentials), 1)) {
            assertThat(read(secured, KafkaCredentials.OPS, "ops-upgrade", Topics.FAILURES)).contains("written in plaintext");
        }
        Files.delete(KafkaCredentials.fileOf(credentials, KafkaCredentials.ADMIN));
        try (DevStack renewed = DevStack.start(data, kafkaPort, controllerPort, 0, null,
                KafkaCredentials.loadOrCreate(credentials), 1)) {
            assertThat(read(renewed, KafkaCredentials.OPS, "ops-renewed", Topics.FAILURES)).contains("written in plaintext");
        }
    }

    @Test
    void theClusterHasExactlyTheAclsOfTheTable() throws Exception {
        try (Admin admin = Admin.create(stack.clientSettings(KafkaCredentials.ADMIN))) {
            List<AclBinding> acls = new ArrayList<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
            assertThat(acls).containsExactlyInAnyOrderElementsOf(PipelineAcls.bindings());
        }
    }

    private static KafkaProducer<String, String> transactional(String principal, String transactionalId) {
        Map<String, Object> settings = new HashMap<>(stack.clientSettings(principal));
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return producer(settings);
    }

    /** The values of partition 0 of {@code topic} that contain {@code marker}, as a read_committed reader sees them. */
    private static List<String> readCommitted(String topic, String marker) {
        Map<String, Object> config = new HashMap<>(stack.clientSettings(KafkaCredentials.ADMIN));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null && r.value().contains(marker)) {
                        values.add(r.value());
                    }
                });
            }
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> settings) {
        return KafkaTestClients.producer(settings);
    }

    /** The topics among {@code topics} that {@code principal} reads {@code marker} from, with what it read there. */
    private static Map<String, List<String>> readAll(String principal, String group, List<String> topics,
                                                     String marker) {
        Map<String, Object> config = new HashMap<>(stack.clientSettings(principal));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        Map<String, List<String>> values = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(topics);
            await(principal + " reads " + topics).atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value().equals(marker)) {
                        values.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r.value());
                    }
                });
                return values.keySet().containsAll(topics);
            });
        }
        return values;
    }

    private static List<String> read(String principal, String group, String topic) {
        return read(stack, principal, group, topic);
    }

    private static List<String> read(DevStack stack, String principal, String group, String topic) {
        return KafkaTestClients.readSome(stack.clientSettings(principal), group, topic);
    }
}

package io.slipway.devstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.devstack.support.RawUpload;
import io.slipway.devstack.support.RegistryHttp;
import io.slipway.devstack.support.RegistryHttp.Response;
import io.slipway.devstack.testing.SharedDevStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.slipway.devstack.support.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SchemaRegistryHttpTest {

    private static final String V1 = record("f1:string");
    private static final String V2_WITH_DEFAULT = "{\"type\":\"record\",\"name\":\"myrecord\",\"fields\":["
            + "{\"name\":\"f1\",\"type\":\"string\"},{\"name\":\"f2\",\"type\":\"string\",\"default\":\"x\"}]}";
    private static final String V2_WITHOUT_DEFAULT = record("f1:string", "f2:string");

    private final SharedDevStack stack = SharedDevStack.get();
    private final RegistryHttp registry = new RegistryHttp(stack.registryUrl());
    private final String subject = "subject-" + UUID.randomUUID();

    @Test
    void registeredSchemaIsReadableByIdByVersionAndAsLatest() {
        int id = registry.register(subject, V1);

        Response byId = registry.get("/schemas/ids/" + id);
        Response byVersion = registry.get("/subjects/" + subject + "/versions/1");
        Response latest = registry.get("/subjects/" + subject + "/versions/latest");

        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
        assertThat(byId.body().get("schema").asText()).isEqualTo(V1);
        assertThat(byVersion.body()).isEqualTo(versionJson(subject, 1, id, V1));
        assertThat(latest.body()).isEqualTo(versionJson(subject, 1, id, V1));
    }

    @Test
    void storesTheCanonicalFormOfTheSchema() {
        int id = registry.register(subject, "{\"type\": \"string\"}");

        assertThat(registry.get("/schemas/ids/" + id).body().get("schema").asText()).isEqualTo("\"string\"");
        assertThat(registry.get("/subjects/" + subject + "/versions/1/schema").body().asText()).isEqualTo("string");
    }

    @Test
    void sameSchemaRegisteredAgainKeepsItsIdAndVersion() {
        int first = registry.register(subject, V1);
        int again = registry.register(subject, "{ \"type\": \"record\", \"name\": \"myrecord\", "
                + "\"fields\": [ {\"type\": \"string\", \"name\": \"f1\"} ] }");

        assertThat(again).isEqualTo(first);
        assertThat(registry.get("/subjects/" + subject + "/versions").body()).isEqualTo(json("[1]"));
    }

    @Test
    void sameSchemaUnderAnotherSubjectGetsTheSameGlobalId() {
        String other = subject + "-other";
        String schema = "{\"type\":\"fixed\",\"name\":\"Digest" + UUID.randomUUID().toString().replace("-", "") + "\",\"size\":32}";
        int id = registry.register(subject, schema);

        assertThat(registry.register(other, schema)).isEqualTo(id);
        assertThat(registry.get("/schemas/ids/" + id + "/versions").body())
                .containsExactlyInAnyOrder(json("{\"subject\":\"" + subject + "\",\"version\":1}"),
                        json("{\"subject\":\"" + other + "\",\"version\":1}"));
    }

    @Test
    void backwardCompatibleChangeBecomesTheNextVersionWithANewId() {
        int v1 = registry.register(subject, V1);
        int v2 = registry.register(subject, V2_WITH_DEFAULT);

        assertThat(v2).isGreaterThan(v1);
        assertThat(registry.get("/subjects/" + subject + "/versions").body()).isEqualTo(json("[1,2]"));
        assertThat(registry.get("/subjects/" + subject + "/versions/latest").body().get("id").asInt()).isEqualTo(v2);
        assertThat(registry.get("/subjects").body()).contains(json('"' + subject + '"'));
    }

    @Test
    void incompatibleChangeIsRefusedWith409UnderTheDefaultBackwardLevel() {
        registry.register(subject, V1);

        Response response = registry.post("/subjects/" + subject + "/versions", schemaBody(V2_WITHOUT_DEFAULT));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.errorCode()).isEqualTo(409);
        assertThat(response.message())
                .startsWith("Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\", details: [")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "{oldSchemaVersion: 1}", "compatibility: 'BACKWARD'");
        assertThat(registry.get("/subjects/" + subject + "/versions").body()).isEqualTo(json("[1]"));
    }

    @Test
    void unparseableOrEmptySchemaIsRefusedWith42201() {
        Response garbage = registry.post("/subjects/" + subject + "/versions", schemaBody("non-avro schema string"));
        Response empty = registry.post("/subjects/" + subject + "/versions", schemaBody(""));
        Response unknownType = registry.post("/subjects/" + subject + "/versions",
                RegistryHttp.json(Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF")));

        assertThat(garbage.status()).isEqualTo(422);
        assertThat(garbage.errorCode()).isEqualTo(42201);
        assertThat(garbage.message()).startsWith("Invalid schema non-avro schema string");
        assertThat(empty.body()).isEqualTo(json("{\"error_code\":42201,\"message\":\"Empty schema\"}"));
        assertThat(unknownType.errorCode()).isEqualTo(42201);
    }

    @Test
    void unknownIdSubjectAndVersionAreReportedWithConfluentErrorCodes() {
        registry.register(subject, V1);

        assertThat(registry.get("/schemas/ids/987654321").body())
                .isEqualTo(json("{\"error_code\":40403,\"message\":\"Schema 987654321 not found\"}"));
        assertThat(registry.get("/subjects/" + subject + "-missing/versions").body())
                .isEqualTo(json("{\"error_code\":40401,\"message\":\"Subject '" + subject + "-missing' not found.\"}"));
        assertThat(registry.get("/subjects/" + subject + "/versions/42").body())
                .isEqualTo(json("{\"error_code\":40402,\"message\":\"Version 42 not found.\"}"));
        Response invalid = registry.get("/subjects/" + subject + "/versions/0");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42202);
        assertThat(registry.get("/schemas/ids/987654321").status()).isEqualTo(404);
    }

    @Test
    void lookupFindsTheRegisteredVersionOrAnswers40403Or40401() {
        int id = registry.register(subject, V1);

        assertThat(registry.post("/subjects/" + subject, schemaBody(V1)).body()).isEqualTo(versionJson(subject, 1, id, V1));
        assertThat(registry.post("/subjects/" + subject, schemaBody("{\"type\":\"int\"}")).body())
                .isEqualTo(json("{\"error_code\":40403,\"message\":\"Schema not found\"}"));
        assertThat(registry.post("/subjects/" + subject + "-missing", schemaBody(V1)).errorCode()).isEqualTo(40401);
    }

    @Test
    void compatibilityEndpointTellsWhetherASchemaCouldBeRegistered() {
        registry.register(subject, V1);
        String base = "/compatibility/subjects/" + subject + "/versions/";

        assertThat(registry.post(base + "latest", schemaBody(V2_WITH_DEFAULT)).body()).isEqualTo(json("{\"is_compatible\":true}"));
        assertThat(registry.post(base + "latest", schemaBody(V2_WITHOUT_DEFAULT)).body()).isEqualTo(json("{\"is_compatible\":false}"));
        assertThat(registry.post(base + "1", schemaBody(V2_WITHOUT_DEFAULT)).body().get("is_compatible").asBoolean()).isFalse();
        assertThat(registry.post(base + "latest?verbose=true", schemaBody(V2_WITHOUT_DEFAULT)).body().get("messages").toString())
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(registry.post(base + "7", schemaBody(V1)).errorCode()).isEqualTo(40402);
        assertThat(registry.get("/subjects/" + subject + "/versions").body()).isEqualTo(json("[1]"));
    }

    @Test
    void subjectConfigOverridesTheGlobalLevelForThatSubjectOnly() {
        registry.register(subject, V1);
        assertThat(registry.get("/config/" + subject).body())
                .isEqualTo(json("{\"error_code\":40408,\"message\":\"Subject '" + subject
                        + "' does not have subject-level compatibility configured\"}"));

        Response put = registry.put("/config/" + subject, "{\"compatibility\":\"NONE\"}");

        assertThat(put.body()).isEqualTo(json("{\"compatibility\":\"NONE\"}"));
        assertThat(registry.get("/config/" + subject).body()).isEqualTo(json("{\"compatibilityLevel\":\"NONE\"}"));
        assertThat(registry.get("/config").body()).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));
        assertThat(registry.post("/subjects/" + subject + "/versions", schemaBody(V2_WITHOUT_DEFAULT)).status()).isEqualTo(200);
    }

    @Test
    void globalConfigIsReadAsCompatibilityLevelAndRefusesUnknownLevels() {
        try {
            assertThat(registry.put("/config", "{\"compatibility\":\"FULL\"}").body()).isEqualTo(json("{\"compatibility\":\"FULL\"}"));
            assertThat(registry.get("/config").body()).isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));
            Response invalid = registry.put("/config", "{\"compatibility\":\"SIDEWAYS\"}");
            assertThat(invalid.status()).isEqualTo(422);
            assertThat(invalid.errorCode()).isEqualTo(42203);
            assertThat(registry.get("/config").body()).isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));
        } finally {
            registry.put("/config", "{\"compatibility\":\"BACKWARD\"}");
        }
    }

    @Test
    void forwardLevelRefusesASchemaTheOldReadersCannotRead() {
        registry.put("/config/" + subject, "{\"compatibility\":\"FORWARD\"}");
        registry.register(subject, record("f1:string", "f2:string"));

        Response dropsF2 = registry.post("/subjects/" + subject + "/versions", schemaBody(record("f1:string")));

        assertThat(dropsF2.status()).isEqualTo(409);
        assertThat(dropsF2.message()).contains("compatibility: 'FORWARD'");
        assertThat(registry.register(subject, record("f1:string", "f2:string", "f3:int"))).isPositive();
    }

    @Test
    void transitiveLevelHoldsTheNewSchemaAgainstEveryEarlierVersion() {
        String transitive = subject + "-transitive";
        registry.put("/config/" + subject, "{\"compatibility\":\"BACKWARD\"}");
        registry.put("/config/" + transitive, "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
        String aString = record("a:string");
        String noFields = record();
        String aIntWithDefault = "{\"type\":\"record\",\"name\":\"myrecord\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":0}]}";
        for (String s : List.of(subject, transitive)) {
            registry.register(s, aString);
            registry.register(s, noFields);
        }

        assertThat(registry.post("/subjects/" + subject + "/versions", schemaBody(aIntWithDefault)).status()).isEqualTo(200);
        Response refused = registry.post("/subjects/" + transitive + "/versions", schemaBody(aIntWithDefault));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).contains("TYPE_MISMATCH", "{oldSchemaVersion: 1}");
    }

    @Test
    void softDeletedSubjectDisappearsWhileItsIdsStayResolvable() {
        int id = registry.register(subject, V1);

        assertThat(registry.delete("/subjects/" + subject).body()).isEqualTo(json("[1]"));

        assertThat(registry.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
        assertThat(registry.get("/subjects").body()).doesNotContain(json('"' + subject + '"'));
        assertThat(registry.get("/schemas/ids/" + id).status()).isEqualTo(200);
        assertThat(registry.register(subject, V1)).isEqualTo(id);
        assertThat(registry.get("/subjects/" + subject + "/versions").body()).isEqualTo(json("[2]"));
    }

    @Test
    void unknownPathMalformedJsonAndWrongMethodGetClearErrors() {
        assertThat(registry.get("/").body()).isEqualTo(json("{}"));
        Response unknown = registry.get("/nowhere");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(404);
        Response malformed = registry.post("/subjects/" + subject + "/versions", "{\"schema\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.message()).startsWith("Malformed JSON request body");
        assertThat(registry.send("PATCH", "/subjects", null).status()).isEqualTo(405);
        assertThat(registry.get("/schemas/types").body()).isEqualTo(json("[\"AVRO\"]"));
    }

    @Test
    void keepsSchemasInTheCompactedSchemasTopicInConfluentRecordFormat() throws Exception {
        int id = registry.register(subject, V1);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, SchemaRegistryServer.TOPIC);
            Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of(SchemaRegistryServer.TOPIC)).allTopicNames().get()
                    .get(SchemaRegistryServer.TOPIC).partitions()).hasSize(1);
        }
        String expectedKey = "{\"keytype\":\"SCHEMA\",\"subject\":\"" + subject + "\",\"version\":1,\"magic\":1}";
        List<ConsumerRecord<String, String>> records = readSchemasTopic();
        assertThat(records).filteredOn(r -> r.key().equals(expectedKey)).singleElement()
                .satisfies(r -> assertThat(json(r.value())).isEqualTo(json(
                        "{\"subject\":\"" + subject + "\",\"version\":1,\"id\":" + id + ",\"schema\":" + RegistryHttp.json(V1)
                                + ",\"deleted\":false}")));
    }

    @Test
    void writesRequireBasicAuthenticationWhenConfiguredAndReadsStayAnonymous() {
        try (SchemaRegistryServer secured = new SchemaRegistryServer(stack.bootstrapServers(), "127.0.0.1", 0, "alice:s3cret",
                stack.uniqueTopic("_schemas-auth")).start()) {
            RegistryHttp anonymous = new RegistryHttp(secured.url());
            RegistryHttp wrong = new RegistryHttp(secured.url(), "alice:wrong");
            RegistryHttp alice = new RegistryHttp(secured.url(), "alice:s3cret");

            Response anonymousWrite = anonymous.post("/subjects/" + subject + "/versions", schemaBody(V1));
            Response wrongWrite = wrong.post("/subjects/" + subject + "/versions", schemaBody(V1));
            Response anonymousConfig = anonymous.put("/config", "{\"compatibility\":\"NONE\"}");
            Response anonymousDelete = anonymous.delete("/subjects/" + subject);

            assertThat(List.of(anonymousWrite, wrongWrite, anonymousConfig, anonymousDelete))
                    .allSatisfy(refused -> {
                        assertThat(refused.status()).isEqualTo(401);
                        assertThat(refused.errorCode()).isEqualTo(401);
                    });
            assertThat(anonymous.get("/subjects").body()).isEqualTo(json("[]"));
            assertThat(anonymous.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

            int id = alice.register(subject, V1);

            assertThat(anonymous.get("/subjects").body()).isEqualTo(json("[\"" + subject + "\"]"));
            assertThat(anonymous.get("/schemas/ids/" + id).status()).isEqualTo(200);
            assertThat(anonymous.delete("/subjects/" + subject).status()).isEqualTo(401);
            assertThat(anonymous.get("/subjects").body()).isEqualTo(json("[\"" + subject + "\"]"));
        }
    }

    @Test
    void aFiftyMebibyteBodyIsRefusedWithoutBeingReadAndEverythingStillServes() throws Exception {
        long fifty = 50L * 1024 * 1024;
        RawUpload.Result result = RawUpload.post(stack.registryUrl(), "/subjects/" + subject + "/versions",
                "Content-Length: " + fifty, fifty);

        assertThat(result.statusLine()).startsWith("HTTP/1.1 413");
        assertThat(result.body()).contains("over this registry's limit of " + SchemaRegistryServer.MAX_BODY_BYTES);
        assertThat(result.bytesSent()).isLessThan(fifty);
        assertStillServing();
    }

    @Test
    void aBodyWithoutALengthIsCutAtTheLimit() throws Exception {
        long two = 2L * 1024 * 1024;
        RawUpload.Result result = RawUpload.post(stack.registryUrl(), "/subjects/" + subject + "/versions",
                "Transfer-Encoding: chunked", two);

        assertThat(result.statusLine()).startsWith("HTTP/1.1 413");
        assertThat(result.body()).contains("more than " + SchemaRegistryServer.MAX_BODY_BYTES + " bytes");
        assertStillServing();
    }

    private void assertStillServing() throws Exception {
        assertThat(registry.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
        assertThat(registry.register(subject, V1)).isPositive();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains(SchemaRegistryServer.TOPIC);
        }
    }

    private List<ConsumerRecord<String, String>> readSchemasTopic() {
        TopicPartition partition = new TopicPartition(SchemaRegistryServer.TOPIC, 0);
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return consumer.position(partition) >= end;
            });
            return records;
        }
    }

    /** A record schema named myrecord with fields given as {@code name:type}. */
    static String record(String... fields) {
        List<String> json = new ArrayList<>();
        for (String field : fields) {
            String[] nameType = field.split(":");
            json.add("{\"name\":\"" + nameType[0] + "\",\"type\":\"" + nameType[1] + "\"}");
        }
        return "{\"type\":\"record\",\"name\":\"myrecord\",\"fields\":[" + String.join(",", json) + "]}";
    }

    private static JsonNode versionJson(String subject, int version, int id, String schema) {
        return json(RegistryHttp.json(Map.of("subject", subject, "version", version, "id", id, "schema", schema)));
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}

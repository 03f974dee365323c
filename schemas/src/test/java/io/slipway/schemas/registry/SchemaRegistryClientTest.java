package io.slipway.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.RefusedPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST client against a fake registry that replays Confluent's documented exchanges. */
class SchemaRegistryClientTest {

    private static final Schema STRING = parse("{\"type\": \"string\"}");
    private static final Schema INT = parse("{\"type\": \"int\"}");
    private static final Schema TEST_RECORD = parse(
            "{\"type\": \"record\", \"name\": \"test\", \"fields\": [{\"type\": \"string\", \"name\": \"field1\"}, {\"type\": \"int\", \"name\": \"field2\"}]}");
    private static final Schema MYRECORD_F1_F2 = parse(
            "{\"type\":\"record\",\"name\":\"myrecord\",\"fields\":[{\"type\":\"string\",\"name\":\"f1\"},{\"type\":\"string\",\"name\":\"f2\"}]}");

    private ReplayRegistry registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = ReplayRegistry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private SchemaRegistryClient client() {
        return new SchemaRegistryClient(registry.url().toString());
    }

    static Stream<Arguments> documentedSuccesses() {
        RegisteredSchema kafkaValueV1 = new RegisteredSchema("Kafka-value", 1, 1, Schema.create(Schema.Type.STRING));
        return Stream.of(
                arguments("register-string-key", call(c -> c.register("Kafka-key", STRING)), 1),
                arguments("register-string-value", call(c -> c.register("Kafka-value", STRING)), 1),
                arguments("register-record", call(c -> c.register("test", TEST_RECORD)), 1),
                arguments("list-subjects", call(SchemaRegistryClient::subjects), List.of("Kafka-value", "Kafka-key")),
                arguments("list-versions", call(c -> c.versions("Kafka-value")), List.of(1)),
                arguments("versions-test", call(c -> c.versions("test")), List.of(1, 2, 3, 4)),
                arguments("get-schema-by-id", call(c -> c.getById(1)), Schema.create(Schema.Type.STRING)),
                arguments("get-subject-version", call(c -> c.version("Kafka-value", 1)), kafkaValueV1),
                arguments("get-subject-latest", call(c -> c.latest("Kafka-value")), kafkaValueV1),
                arguments("lookup-schema-under-subject", call(c -> c.lookup("Kafka-key", STRING)),
                        new RegisteredSchema("Kafka-key", 1, 1, Schema.create(Schema.Type.STRING))),
                arguments("compatibility-latest", call(c -> c.isCompatible("Kafka-value", STRING)), true),
                arguments("compat-record-latest", call(c -> c.isCompatible("test", TEST_RECORD)), true),
                arguments("config-get-global", call(SchemaRegistryClient::compatibility), "BACKWARD"),
                arguments("config-get-subject", call(c -> c.compatibility("test")), "FULL"),
                arguments("config-put-global", call(c -> c.updateCompatibility("NONE")), "NONE"),
                arguments("config-put-full", call(c -> c.updateCompatibility("FULL")), "FULL"),
                arguments("config-put-subject", call(c -> c.updateCompatibility("Kafka-value", "BACKWARD")), "BACKWARD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedSuccesses")
    void sendsTheDocumentedRequestAndReadsTheDocumentedResponse(String exchangeId, Function<SchemaRegistryClient, Object> call,
                                                                Object expected) {
        Object result = call.apply(client());

        assertSentAsDocumented(exchangeId);
        assertThat(result).isEqualTo(expected);
    }

    /** An error case: the call, the documented exchange it answers, and the predicates that must hold. */
    record ErrorCase(String exchangeId, boolean forced, Function<SchemaRegistryClient, Object> call,
                     boolean notFound, boolean incompatible) {
        @Override
        public String toString() {
            return exchangeId;
        }
    }

    static Stream<ErrorCase> documentedErrors() {
        return Stream.of(
                new ErrorCase("error-40401-subject-not-found", false, c -> c.versions("unknown-subject"), true, false),
                new ErrorCase("error-40402-version-not-found", false, c -> c.version("Kafka-value", 42), true, false),
                new ErrorCase("error-40403-schema-not-found", false, c -> c.getById(999), true, false),
                new ErrorCase("error-40403-lookup", false, c -> c.lookup("Kafka-key", INT), true, false),
                new ErrorCase("error-40408-no-subject-config", false, c -> c.compatibility("Kafka-value"), true, false),
                new ErrorCase("error-409-incompatible", false, c -> c.register("testSubject", MYRECORD_F1_F2), false, true),
                new ErrorCase("error-42202-invalid-version", false, c -> c.version("Kafka-value", 0), false, false),
                new ErrorCase("error-42203-invalid-compatibility", false, c -> c.updateCompatibility("SIDEWAYS"), false, false),
                // The client cannot send a non-Avro or empty schema, so these answers are served to a valid request.
                new ErrorCase("error-42201-invalid-schema", true, c -> c.register("testSubject", STRING), false, false),
                new ErrorCase("error-42201-empty-schema", true, c -> c.register("testSubject", STRING), false, false),
                new ErrorCase("error-generic-422", true, c -> c.register("test", TEST_RECORD), false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedErrors")
    void mapsEachDocumentedErrorToStatusCodeAndMessage(ErrorCase error) {
        ReplayRegistry.Exchange exchange = registry.exchange(error.exchangeId());
        if (error.forced()) {
            registry.answerNextWith(error.exchangeId());
        }

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> error.call().apply(client()));

        if (!error.forced()) {
            assertSentAsDocumented(error.exchangeId());
        }
        int documentedCode = exchange.responseBody().get("error_code").intValue();
        assertThat(e).isNotNull().isNotInstanceOf(SchemaRegistryUnavailableException.class);
        assertThat(e.status()).isEqualTo(exchange.status());
        assertThat(e.errorCode()).isEqualTo(documentedCode);
        assertThat(e.registryMessage()).isEqualTo(exchange.responseBody().get("message").asText());
        assertThat(e.method()).isEqualTo(registry.lastRequest().method());
        assertThat(e.url()).isEqualTo(registry.url().resolve(registry.lastRequest().rawPath()));
        assertThat(e.getMessage()).contains(e.method() + " " + e.url(), "HTTP " + exchange.status(), String.valueOf(documentedCode));
        assertThat(e.isNotFound()).isEqualTo(error.notFound());
        assertThat(e.isIncompatible()).isEqualTo(error.incompatible());
        assertThat(e.isSubjectNotFound()).isEqualTo(documentedCode == 40401);
        assertThat(e.isVersionNotFound()).isEqualTo(documentedCode == 40402);
        assertThat(e.isSchemaNotFound()).isEqualTo(documentedCode == 40403);
        assertThat(e.isInvalidSchema()).isEqualTo(documentedCode == 42201);
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void treatsTheNewerIncompatibleErrorCode40901AsIncompatible() throws Exception {
        ReplayRegistry.Exchange legacy = registry.exchange("error-409-incompatible");
        var body = ((com.fasterxml.jackson.databind.node.ObjectNode) legacy.responseBody().deepCopy()).put("error_code", 40901);
        registry.answerNextWith(409, new ObjectMapper().writeValueAsString(body));

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client().register("testSubject", MYRECORD_F1_F2));

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        assertThat(e.isIncompatible()).isTrue();
        assertThat(e.registryMessage()).startsWith("Schema being registered is incompatible with an earlier schema for subject \"testSubject\"");
    }

    @Test
    void reportsAnErrorBodyThatIsNotJsonWithTheClientSideParseErrorCode() {
        registry.answerNextWith(502, "text/html", "<html><body>502 Bad Gateway</body></html>");

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client().getById(1));

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.UNPARSEABLE_ERROR_BODY);
        assertThat(e.registryMessage()).contains("502 Bad Gateway");
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void reportsASuccessResponseThatLacksADocumentedField() {
        registry.answerNextWith(200, "{\"identifier\": 1}");

        assertThatThrownBy(() -> client().register("Kafka-value", STRING))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("POST " + registry.url() + "/subjects/Kafka-value/versions")
                .hasMessageContaining("lacks the documented field 'id'");
    }

    @Test
    void sendsBasicAuthWhenUserInfoIsConfigured() {
        new SchemaRegistryClient(RegistrySettings.of(registry.url().toString()).withBasicAuth("fred:letmein")).subjects();

        assertThat(registry.lastRequest().header("Authorization")).isEqualTo("Basic ZnJlZDpsZXRtZWlu");
    }

    @Test
    void takesBasicAuthFromTheUserInfoOfTheUrlAndKeepsItOutOfTheRequestUrl() {
        URI url = registry.url();
        SchemaRegistryClient client = new SchemaRegistryClient("http://fred:letmein@127.0.0.1:" + url.getPort());

        client.subjects();

        assertThat(registry.lastRequest().header("Authorization")).isEqualTo("Basic ZnJlZDpsZXRtZWlu");
        assertThat(client.settings().urls()).containsExactly(url);
        assertThat(client.settings().toString()).doesNotContain("letmein");
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutCredentials() {
        client().subjects();

        assertThat(registry.lastRequest().header("Authorization")).isNull();
    }

    @Test
    void cachesIdsAndSchemasSoRepeatedCallsMakeNoRequest() {
        SchemaRegistryClient client = client();

        assertThat(client.register("Kafka-value", STRING)).isEqualTo(1);
        assertThat(client.register("Kafka-value", parse("\"string\""))).isEqualTo(1);
        assertThat(client.getById(1)).isEqualTo(STRING);

        assertThat(registry.received()).hasSize(1);
    }

    @Test
    void cachesSchemasFetchedById() {
        SchemaRegistryClient client = client();

        client.getById(1);
        client.getById(1);

        assertThat(registry.received()).hasSize(1);
    }

    @Test
    void cachesTheIdFoundByLookup() {
        SchemaRegistryClient client = client();

        assertThat(client.lookupId("Kafka-key", STRING)).isEqualTo(1);
        assertThat(client.lookupId("Kafka-key", STRING)).isEqualTo(1);

        assertThat(registry.received()).hasSize(1);
    }

    @Test
    void percentEncodesSubjectsAsOnePathSegment() throws IOException {
        try (InMemorySchemaRegistry memory = InMemorySchemaRegistry.start()) {
            SchemaRegistryClient client = memory.newClient();

            int id = client.register("team/a b+c-value", STRING);

            assertThat(memory.requests()).containsExactly("POST /subjects/team%2Fa%20b%2Bc-value/versions");
            assertThat(client.subjects()).containsExactly("team/a b+c-value");
            assertThat(client.latest("team/a b+c-value").id()).isEqualTo(id);
        }
    }

    @Test
    void reportsARefusedConnectionAsUnavailable() throws IOException {
        try (RefusedPort refused = new RefusedPort()) {
            int closedPort = refused.port();
            SchemaRegistryClient client = new SchemaRegistryClient("http://127.0.0.1:" + closedPort);

            SchemaRegistryUnavailableException e = catchThrowableOfType(SchemaRegistryUnavailableException.class,
                    () -> client.getById(1));

            assertThat(e.isTransient()).isTrue();
            assertThat(e.status()).isEqualTo(-1);
            assertThat(e.method()).isEqualTo("GET");
            assertThat(e.url()).isEqualTo(URI.create("http://127.0.0.1:" + closedPort + "/schemas/ids/1"));
            assertThat(e.getMessage()).contains("GET http://127.0.0.1:" + closedPort + "/schemas/ids/1", "unreachable");
        }
    }

    @Test
    void reportsARequestTimeoutAsUnavailable() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.createContext("/", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            SchemaRegistryClient client = new SchemaRegistryClient(
                    RegistrySettings.of("http://127.0.0.1:" + silent.getAddress().getPort()).withRequestTimeout(Duration.ofMillis(300)));

            assertThatThrownBy(() -> client.subjects())
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("HttpTimeoutException");
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    @Test
    void failsOverToTheNextUrlWhenOneIsUnreachable() throws IOException {
        try (RefusedPort refused = new RefusedPort()) {
            int closedPort = refused.port();
            SchemaRegistryClient client = new SchemaRegistryClient(
                    "http://127.0.0.1:" + closedPort + "," + registry.url());

            assertThat(client.subjects()).containsExactly("Kafka-value", "Kafka-key");
        }
    }

    @Test
    void registersTheFullSchemaOfAGeneratedEventAsOneJsonString() throws IOException {
        try (InMemorySchemaRegistry memory = InMemorySchemaRegistry.start()) {
            SchemaRegistryClient client = memory.newClient();

            int id = client.register("slipway.commits-value", CommitReceived.getClassSchema());

            assertThat(memory.newClient().getById(id)).isEqualTo(CommitReceived.getClassSchema());
            assertThat(client.lookup("slipway.commits-value", CommitReceived.getClassSchema()))
                    .isEqualTo(new RegisteredSchema("slipway.commits-value", 1, id, CommitReceived.getClassSchema()));
            assertThat(client.isCompatible("slipway.commits-value", CommitReceived.getClassSchema())).isTrue();
        }
    }

    private void assertSentAsDocumented(String exchangeId) {
        ReplayRegistry.Exchange documented = registry.exchange(exchangeId);
        ReplayRegistry.Received sent = registry.lastRequest();
        assertThat(sent.method()).as("method").isEqualTo(documented.method());
        assertThat(sent.rawPath()).as("path").isEqualTo(documented.path());
        assertThat(sent.header("Accept")).as("Accept").isEqualTo(documented.requestHeaders().get("Accept"));
        assertThat(sent.header("Content-Type")).as("Content-Type").isEqualTo(documented.requestHeaders().get("Content-Type"));
        if (documented.requestBody() == null) {
            assertThat(sent.body()).as("body").isEmpty();
        } else {
            assertThat(sent.body()).as("body").isNotEmpty();
            try {
                assertThat(ReplayRegistry.sameBody(documented.requestBody(), new ObjectMapper().readTree(sent.body())))
                        .as("body %s matches documented %s", sent.body(), documented.requestBody()).isTrue();
            } catch (IOException e) {
                throw new AssertionError("body is not JSON: " + sent.body(), e);
            }
        }
    }

    private static Function<SchemaRegistryClient, Object> call(Function<SchemaRegistryClient, Object> call) {
        return call;
    }

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }
}

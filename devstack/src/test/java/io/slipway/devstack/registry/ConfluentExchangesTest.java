package io.slipway.devstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.devstack.support.RegistryHttp;
import io.slipway.devstack.support.RegistryHttp.Response;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.schemas.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.slipway.devstack.registry.SchemaRegistryHttpTest.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the published Confluent exchanges ({@code fixtures/schema-registry/exchanges.json}, kept with schemas' test
 * resources and read through its test-jar) in an order whose state they were written for, against a fresh registry
 * with its own schema topic, and compares status, content type and body.
 */
class ConfluentExchangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SchemaRegistryServer server;
    private static RegistryHttp registry;
    private static Map<String, JsonNode> exchanges;

    @BeforeAll
    static void freshRegistry() throws Exception {
        SharedDevStack stack = SharedDevStack.get();
        server = new SchemaRegistryServer(stack.bootstrapServers(), "127.0.0.1", 0, null,
                stack.uniqueTopic("_schemas-conformance")).start();
        registry = new RegistryHttp(server.url());
        exchanges = new HashMap<>();
        for (JsonNode exchange : JSON.readTree(Fixtures.bytes("schema-registry/exchanges.json")).get("exchanges")) {
            exchanges.put(exchange.get("id").asText(), exchange);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersThePublishedExchangesExactlyAsConfluentDoes() {
        String testRecord = "{\"type\": \"record\", \"name\": \"test\", \"fields\": [{\"type\": \"string\", \"name\": \"field1\"}, "
                + "{\"type\": \"int\", \"name\": \"field2\"}]}";
        for (String id : List.of("register-string-key", "register-string-value", "list-subjects", "list-versions",
                "get-schema-by-id", "get-subject-version", "get-subject-latest", "lookup-schema-under-subject",
                "compatibility-latest", "config-get-global", "error-40401-subject-not-found",
                "error-40402-version-not-found", "error-40403-schema-not-found", "error-40403-lookup",
                "error-42202-invalid-version", "error-40408-no-subject-config", "error-42203-invalid-compatibility",
                "error-42201-invalid-schema", "error-42201-empty-schema")) {
            replay(id);
        }
        registry.register("testSubject", record("f1:string"));
        replay("error-409-incompatible");
        registry.register("test", testRecord);
        registry.put("/config/test", "{\"compatibility\":\"FULL\"}");
        for (String id : List.of("compat-record-latest", "config-get-subject", "config-put-global", "config-put-subject",
                "config-put-full")) {
            replay(id);
        }
    }

    private static void replay(String id) {
        JsonNode exchange = exchanges.get(id);
        assertThat(exchange).as("exchange %s in exchanges.json", id).isNotNull();
        JsonNode request = exchange.get("request");
        JsonNode expected = exchange.get("response");
        String body = request.hasNonNull("body") ? request.get("body").toString() : null;

        Response actual = registry.send(request.get("method").asText(), request.get("path").asText(), body);

        String what = id + ": " + request.get("method").asText() + " " + request.get("path").asText() + " -> " + actual;
        assertThat(actual.status()).as(what).isEqualTo(expected.get("status").asInt());
        assertThat(actual.contentType()).as(what).isEqualTo(expected.at("/headers/Content-Type").asText());
        JsonNode expectedBody = expected.get("body");
        if (expectedBody == null || expectedBody.isNull()) {
            assertThat(actual.errorCode()).as(what).isEqualTo(42201);
        } else if (id.equals("error-409-incompatible")) {
            String message = expectedBody.get("message").asText();
            assertThat(actual.errorCode()).as(what).isEqualTo(409);
            assertThat(actual.message()).as(what).startsWith(message.substring(0, message.indexOf("details: [") + 10));
        } else if (exchange.path("note").asText().contains("Order is not guaranteed")) {
            assertThat(actual.body()).as(what).containsExactlyInAnyOrderElementsOf(expectedBody);
        } else {
            assertThat(actual.body()).as(what).isEqualTo(expectedBody);
        }
    }
}

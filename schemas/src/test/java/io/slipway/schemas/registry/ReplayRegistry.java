package io.slipway.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.schemas.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A fake Confluent Schema Registry on 127.0.0.1 that answers with the documented request/response pairs of
 * {@code fixtures/schema-registry/exchanges.json} (test resources): a request is matched on method, path and body, where the
 * {@code schema} string of a body is compared as an Avro schema (as the registry itself does), not as text.
 */
final class ReplayRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One documented exchange. */
    record Exchange(String id, String method, String path, Map<String, String> requestHeaders, JsonNode requestBody,
                    int status, Map<String, String> responseHeaders, JsonNode responseBody) {
    }

    /** One request as the fake received it. */
    record Received(String method, String rawPath, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
        }
    }

    private record Forced(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Exchange> exchanges;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Forced> forced = new AtomicReference<>();

    private ReplayRegistry(HttpServer server, Map<String, Exchange> exchanges) {
        this.server = server;
        this.exchanges = exchanges;
    }

    static ReplayRegistry start() throws IOException {
        ReplayRegistry registry = new ReplayRegistry(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), load());
        registry.server.createContext("/", registry::handle);
        registry.server.start();
        return registry;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Exchange exchange(String id) {
        return Objects.requireNonNull(exchanges.get(id), () -> "no exchange " + id + " in exchanges.json");
    }

    /** Answers the next request with this exchange's documented response, whatever the request. */
    void answerNextWith(String exchangeId) {
        Exchange exchange = exchange(exchangeId);
        answerNextWith(exchange.status(), exchange.responseBody().toString());
    }

    /** Answers the next request with this status and JSON body, whatever the request. */
    void answerNextWith(int status, String jsonBody) {
        answerNextWith(status, SchemaRegistryClient.CONTENT_TYPE, jsonBody);
    }

    void answerNextWith(int status, String contentType, String body) {
        forced.set(new Forced(status, contentType, body));
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    Received lastRequest() {
        if (received.isEmpty()) {
            throw new AssertionError("the fake registry received no request");
        }
        return received.get(received.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange http) throws IOException {
        String body = new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        URI uri = http.getRequestURI();
        String rawPath = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        Received request = new Received(http.getRequestMethod(), rawPath, Map.copyOf(http.getRequestHeaders()), body);
        received.add(request);
        Forced answer = forced.getAndSet(null);
        if (answer == null) {
            answer = exchanges.values().stream().filter(e -> matches(e, request)).findFirst()
                    .map(e -> new Forced(e.status(), e.responseHeaders().getOrDefault("Content-Type", SchemaRegistryClient.CONTENT_TYPE),
                            e.responseBody().toString()))
                    .orElse(new Forced(500, SchemaRegistryClient.CONTENT_TYPE,
                            "{\"error_code\":50001,\"message\":\"fake registry: no documented exchange for "
                                    + request.method() + " " + rawPath + "\"}"));
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", answer.contentType());
        http.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        http.getResponseBody().write(bytes);
        http.close();
    }

    private static boolean matches(Exchange exchange, Received request) {
        if (!exchange.method().equals(request.method()) || !exchange.path().equals(request.rawPath())) {
            return false;
        }
        if (exchange.requestBody() == null) {
            return request.body().isEmpty();
        }
        try {
            return sameBody(exchange.requestBody(), JSON.readTree(request.body()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Equal JSON, except that {@code schema} strings are equal when they parse to the same Avro schema. */
    static boolean sameBody(JsonNode documented, JsonNode sent) {
        if (documented == null || sent == null || !documented.isObject() || !sent.isObject()) {
            return Objects.equals(documented, sent);
        }
        ObjectNode left = documented.deepCopy();
        ObjectNode right = sent.deepCopy();
        JsonNode leftSchema = left.remove("schema");
        JsonNode rightSchema = right.remove("schema");
        if (!left.equals(right)) {
            return false;
        }
        if (leftSchema == null || rightSchema == null) {
            return leftSchema == rightSchema;
        }
        try {
            return new Schema.Parser().parse(leftSchema.asText()).equals(new Schema.Parser().parse(rightSchema.asText()));
        } catch (SchemaParseException e) {
            return leftSchema.equals(rightSchema);
        }
    }

    private static Map<String, Exchange> load() {
        try {
            JsonNode root = JSON.readTree(Fixtures.bytes("schema-registry/exchanges.json"));
            Map<String, Exchange> exchanges = new LinkedHashMap<>();
            for (JsonNode node : root.get("exchanges")) {
                JsonNode request = node.get("request");
                JsonNode response = node.get("response");
                JsonNode responseBody = response.get("body");
                if (responseBody == null || responseBody.isNull()) {
                    // Documented by status and error code only (message text varies by version): assemble a body.
                    JsonNode match = response.get("body_match");
                    ObjectNode assembled = JSON.createObjectNode();
                    assembled.put("error_code", match.get("error_code").intValue());
                    assembled.put("message", match.get("message_startswith").asText() + " " + request.path("body").path("schema").asText()
                            + ", details: assembled by the fake registry");
                    responseBody = assembled;
                }
                exchanges.put(node.get("id").asText(), new Exchange(node.get("id").asText(),
                        request.get("method").asText(), request.get("path").asText(), strings(request.get("headers")),
                        request.get("body"), response.get("status").intValue(), strings(response.get("headers")), responseBody));
            }
            return exchanges;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        if (object != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                values.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return values;
    }
}

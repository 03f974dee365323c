package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.schemas.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Builds what a webhook request hands a {@link Forge}: case-insensitive headers and a parsed body. */
final class TestRequests {

    static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String SECRET = "It's a Secret to Everybody";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestRequests() {
    }

    /** Headers looked up case-insensitively, as the controller does; arguments alternate name and value. */
    static Function<String, String> headers(String... nameValues) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], nameValues[i + 1]);
        }
        return map::get;
    }

    static ObjectNode fixture(String relative) {
        return json(Fixtures.bytes(relative));
    }

    static ObjectNode json(byte[] body) {
        try {
            return (ObjectNode) MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String body) {
        return json(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sets the field at the dotted {@code path} of {@code body} to {@code value} (a JSON null when null). */
    static ObjectNode put(ObjectNode body, String path, Object value) {
        int last = path.lastIndexOf('.');
        ObjectNode parent = last < 0 ? body : (ObjectNode) body.at("/" + path.substring(0, last).replace('.', '/'));
        parent.set(path.substring(last + 1), MAPPER.valueToTree(value));
        return body;
    }

    /** Removes the field at the dotted {@code path} of {@code body}. */
    static ObjectNode remove(ObjectNode body, String path) {
        int last = path.lastIndexOf('.');
        ObjectNode parent = last < 0 ? body : (ObjectNode) body.at("/" + path.substring(0, last).replace('.', '/'));
        parent.remove(path.substring(last + 1));
        return body;
    }
}

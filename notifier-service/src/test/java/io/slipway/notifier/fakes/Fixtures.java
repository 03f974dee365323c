package io.slipway.notifier.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The documented API bodies under this module's test resources ({@code fixtures/}), parsed as JSON. */
public final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** A fresh, mutable copy of the JSON fixture at {@code relative}, e.g. {@code github/rest/issue.response.documented.json}. */
    public static JsonNode json(String relative) {
        try {
            return JSON.readTree(io.slipway.schemas.Fixtures.bytes(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + relative, e);
        }
    }

    public static ObjectNode object(String relative) {
        return (ObjectNode) json(relative);
    }
}

package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.domain.InvalidPayload;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads fields of a webhook payload by dotted path; a missing required field is an {@link InvalidPayload} naming it. */
final class Json {

    private Json() {
    }

    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    static String required(JsonNode root, String path) {
        JsonNode node = at(root, path);
        if (node == null || !node.isValueNode() || node.asText().isBlank()) {
            throw new InvalidPayload("missing or empty field '" + path + "'");
        }
        return node.asText();
    }

    static String optional(JsonNode root, String path, String fallback) {
        JsonNode node = at(root, path);
        return node == null || !node.isValueNode() ? fallback : node.asText();
    }

    static Instant time(JsonNode root, String path, Instant fallback) {
        String text = optional(root, path, null);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidPayload("field '" + path + "' is not an ISO-8601 timestamp: " + text);
        }
    }
}

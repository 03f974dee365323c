package io.slipway.notifier.fakes;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * A Slack incoming webhook as documented in {@code fixtures/slack/incoming-webhook}: {@code POST} of a JSON
 * message with a {@code text} fallback and Block Kit {@code blocks} within Slack's limits, answered 200 {@code ok}
 * (text/plain); a malformed message gets 400 {@code invalid_payload} / {@code invalid_blocks}, an unknown webhook
 * 404 {@code no_service}.
 */
public final class FakeSlack extends FakeApi {

    /** The documented shape of a webhook path. */
    public static final String PATH = "/services/T0123456789/B1001010101/7IsoQTrixdUtE971O1xQTm4T";

    private static final Set<String> BLOCK_TYPES = Set.of("header", "section", "context", "divider", "actions", "image");

    /** The URL to configure; a secret in production. */
    public URI webhookUrl() {
        return uri().resolve(PATH);
    }

    /** The messages Slack accepted. */
    public List<JsonNode> messages() {
        return requests(r -> r.answeredWith() == 200).stream().map(Request::json).toList();
    }

    @Override
    protected Answer check(Request r) {
        if (!r.rawPath().equals(PATH)) {
            return violation(r, "unknown webhook path", Answer.text(404, "no_service"));
        }
        if (!r.method().equals("POST") || r.header("content-type") == null
                || !r.header("content-type").startsWith("application/json") || r.json() == null) {
            return violation(r, "not a POST of application/json", Answer.text(400, "invalid_payload"));
        }
        String problem = shapeProblem(r.json(), Fixtures.json("slack/incoming-webhook/blocks.hotel-review.json"),
                Set.of(), "text", "blocks");
        if (problem == null) {
            problem = blocksProblem(r.json().get("blocks"));
        }
        return problem == null ? null : violation(r, problem, Answer.text(400, "invalid_blocks"));
    }

    @Override
    protected Answer respond(Request r) {
        return Answer.text(200, "ok");
    }

    private static String blocksProblem(JsonNode blocks) {
        if (!blocks.isArray() || blocks.isEmpty() || blocks.size() > 50) {
            return "blocks must be an array of 1 to 50 blocks";
        }
        for (JsonNode block : blocks) {
            String type = block.path("type").asText();
            if (!BLOCK_TYPES.contains(type)) {
                return "unknown block type '" + type + "'";
            }
            String problem = switch (type) {
                case "header" -> textProblem(block.get("text"), Set.of("plain_text"), 150);
                case "section" -> sectionProblem(block);
                case "context" -> block.path("elements").isArray() && !block.path("elements").isEmpty()
                        && block.path("elements").size() <= 10 ? textProblem(block.path("elements").get(0), Set.of("mrkdwn", "plain_text"), 3000)
                        : "context needs 1 to 10 elements";
                default -> null;
            };
            if (problem != null) {
                return type + ": " + problem;
            }
        }
        return null;
    }

    private static String sectionProblem(JsonNode section) {
        if (section.has("text")) {
            return textProblem(section.get("text"), Set.of("mrkdwn", "plain_text"), 3000);
        }
        JsonNode fields = section.get("fields");
        if (fields == null || !fields.isArray() || fields.isEmpty() || fields.size() > 10) {
            return "a section needs text or 1 to 10 fields";
        }
        for (JsonNode field : fields) {
            String problem = textProblem(field, Set.of("mrkdwn", "plain_text"), 2000);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String textProblem(JsonNode text, Set<String> types, int maxLength) {
        if (text == null || !types.contains(text.path("type").asText()) || !text.path("text").isTextual()) {
            return "text object must be one of " + types;
        }
        int length = text.path("text").asText().length();
        return length == 0 || length > maxLength ? "text length " + length + " outside 1.." + maxLength : null;
    }
}

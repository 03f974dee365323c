package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.policy.Names;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a pull or merge request event, checked at the door like a push's: the request number (a positive
 * integer that fits an {@code int}), branch names (as a {@code refs/heads/} ref {@link Names#ref} accepts), the head
 * sha (a commit sha, never all zeros), the source repository and whether it is a fork. A refusal is an
 * {@link InvalidPayload} naming the field.
 */
final class RequestFields {

    /**
     * The source repository of a request whose head repository is gone (a deleted fork): its name is unknown, and a
     * request whose source cannot be named is treated as a fork.
     */
    static final String DELETED_FORK = "(deleted fork)";

    private static final int SHOWN_CHARS = 40;

    /** Where a request's change comes from: a repository full name (or {@link #DELETED_FORK}) and whether it is a fork. */
    record Source(String repository, boolean fromFork) {

        /**
         * The head repository, the object at {@code repositoryPath} (null: deleted) whose full name is its
         * {@code nameField}: a fork unless that name is {@code target}'s.
         */
        static Source named(JsonNode body, String repositoryPath, String nameField, String target) {
            if (Json.at(body, repositoryPath) == null) {
                return deleted();
            }
            String repository = ForgeSupport.repository(body, repositoryPath + "." + nameField);
            return new Source(repository, !repository.equals(target));
        }

        static Source deleted() {
            return new Source(DELETED_FORK, true);
        }
    }

    private RequestFields() {
    }

    /** The request number at {@code path}: a JSON integer from 1 to {@link Integer#MAX_VALUE}. */
    static int number(JsonNode body, String path) {
        JsonNode node = Json.at(body, path);
        if (node == null) {
            throw new InvalidPayload("missing or empty field '" + path + "'");
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
            throw new InvalidPayload("field '" + path + "' is not a request number (a positive integer): "
                    + shown(node.toString()));
        }
        return node.intValue();
    }

    /** The branch name at {@code path}, as forges send it (without {@code refs/heads/}), checked as that ref. */
    static String branch(JsonNode body, String path) {
        String branch = Json.required(body, path);
        ForgeSupport.atTheDoor(() -> Names.ref(path, "refs/heads/" + branch));
        return branch;
    }

    /** The request's head commit at {@code path}: a commit sha in lower case, not the all-zero sha. */
    static String headSha(JsonNode body, String path) {
        String sha = ForgeSupport.commitSha(path, Json.required(body, path));
        if (Push.ZERO_SHA.equals(sha)) {
            throw new InvalidPayload("field '" + path + "' is the all-zero sha, not a request's head commit");
        }
        return sha;
    }

    /**
     * The non-blank text of {@code field} in each element of the array at {@code path} (of each element itself when
     * {@code field} is null); none when absent.
     */
    static List<String> labels(JsonNode body, String path, String field) {
        JsonNode array = Json.at(body, path);
        List<String> labels = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return labels;
        }
        for (JsonNode label : array) {
            String name = field == null ? (label.isTextual() ? label.asText() : null)
                    : Json.optional(label, field, null);
            if (name != null && !name.isBlank()) {
                labels.add(name);
            }
        }
        return labels;
    }

    /** The first non-blank text at the paths (the head commit's message, else the request's title), else empty. */
    static String message(JsonNode body, String... paths) {
        String message = ForgeSupport.firstText(body, paths);
        return message == null ? "" : message;
    }

    private static String shown(String value) {
        return value.length() > SHOWN_CHARS ? value.substring(0, SHOWN_CHARS) + "…" : value;
    }
}

package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.policy.Names;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the forge adapters share: header look-ups, HMAC authentication over the raw body, picking the pushed
 * commit out of a payload, and checking repository names, refs and commit shas at the door ({@link Names}). A blank
 * header counts as absent, because forges send the signature header empty when a hook has no secret. The checks of a
 * request event's fields live in {@link RequestFields}.
 */
final class ForgeSupport {

    /** A header that may carry an HMAC-SHA256 hex digest of the body, after {@code prefix} (empty for bare hex). */
    record SignatureHeader(String name, String prefix) {
    }

    /** The pushed commit's message, author and time, as a payload's commit object or a fallback names them. */
    record HeadCommit(String message, String authorName, String authorEmail, Instant timestamp) {

        /**
         * Reads {@code message}, {@code author.name}, {@code author.email} and {@code timestamp} of a commit object;
         * an error names the field as {@code path} followed by the field, e.g. {@code head_commit.author.name}.
         */
        static HeadCommit of(JsonNode commit, String path, Instant now) {
            try {
                return new HeadCommit(Json.optional(commit, "message", ""), Json.required(commit, "author.name"),
                        firstText(commit, "author.email"), Json.time(commit, "timestamp", now));
            } catch (InvalidPayload e) {
                throw new InvalidPayload(e.getMessage().replaceFirst("field '", "field '" + path));
            }
        }

        Push toPush(String source, String deliveryId, String repository, String cloneUrl, String webUrl, String ref,
                    String sha, boolean deleted, String before) {
            return new Push(source, deliveryId, repository, cloneUrl, webUrl, ref, sha, message, authorName,
                    authorEmail, timestamp, deleted, before, null);
        }
    }

    private ForgeSupport() {
    }

    /** The first of the named headers that has a non-blank value. */
    static Optional<String> firstHeader(Function<String, String> headers, String... names) {
        for (String name : names) {
            String value = headers.apply(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.trim());
            }
        }
        return Optional.empty();
    }

    /**
     * Authenticates with the first signature header that carries a digest: MISSING when none does, VALID when
     * it signs the body with the secret, INVALID otherwise — also when no secret is configured.
     */
    static Forge.Authentication hmac(Function<String, String> headers, byte[] body, String secret,
                                     SignatureHeader... accepted) {
        for (SignatureHeader header : accepted) {
            String value = headers.apply(header.name());
            if (value == null || value.isBlank() || value.trim().equalsIgnoreCase(header.prefix())) {
                continue;
            }
            boolean valid = secret != null && !secret.isEmpty()
                    && WebhookSignatures.verify(secret, body, value, header.prefix());
            return valid ? Forge.Authentication.VALID : Forge.Authentication.INVALID;
        }
        return Forge.Authentication.MISSING;
    }

    /** The commit of {@code commits} whose id is {@code sha}, else the last one, or null when there is none. */
    static JsonNode commitWithId(JsonNode commits, String sha) {
        if (commits == null || !commits.isArray() || commits.isEmpty()) {
            return null;
        }
        for (JsonNode commit : commits) {
            if (sha.equalsIgnoreCase(commit.path("id").asText())) {
                return commit;
            }
        }
        return commits.get(commits.size() - 1);
    }

    /** The commit sha (40 or 64 hex; all zeros for a deletion) in lower case, checked by {@link Names#sha}. */
    static String commitSha(String field, String value) {
        return atTheDoor(() -> Names.sha(field, value));
    }

    /**
     * The sha a pushed ref pointed to before the push, from the optional field {@code path}: null when absent or all
     * zeros (the ref is new), else checked by {@link Names#sha}.
     */
    static String before(JsonNode body, String path) {
        String before = firstText(body, path);
        if (before == null) {
            return null;
        }
        String sha = commitSha(path, before);
        return Push.ZERO_SHA.equals(sha) ? null : sha;
    }

    /** The repository full name at {@code path}, checked by {@link Names#repository}. */
    static String repository(JsonNode body, String path) {
        String name = Json.required(body, path);
        return atTheDoor(() -> Names.repository(path, name));
    }

    /** The full ref name at {@code path}, checked by {@link Names#ref}. */
    static String ref(JsonNode body, String path) {
        String ref = Json.required(body, path);
        return atTheDoor(() -> Names.ref(path, ref));
    }

    /** A name refused by {@link Names} is an invalid payload (400) whose message names the field. */
    static String atTheDoor(Supplier<String> check) {
        try {
            return check.get();
        } catch (Names.Invalid e) {
            throw new InvalidPayload(e.getMessage());
        }
    }

    /** The first non-blank value among the paths, or null. */
    static String firstText(JsonNode root, String... paths) {
        for (String path : paths) {
            String value = Json.optional(root, path, null);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}

package io.slipway.notifier.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.notifier.domain.Artifact;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.ChannelMemory;
import io.slipway.notifier.domain.Delivery;
import io.slipway.notifier.domain.Deployment;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.Notification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON written to the notifier's own topics: a {@link Delivery} on the delivery queue (readable by people
 * inspecting its dead-letter topic; a deployment's environment in {@code notification.deployment}) and a {@link ChannelMemory} on the state topic (read also in the per-repository
 * shape older versions wrote). Field names are the wire format; instants are ISO-8601. A malformed document is an
 * {@link IllegalArgumentException}.
 */
final class NotifierJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NotifierJson() {
    }

    static String delivery(Delivery delivery) {
        Notification n = delivery.notification();
        ObjectNode node = JSON.createObjectNode().put("channel", delivery.channel().toString());
        ObjectNode body = node.putObject("notification")
                .put("eventId", n.eventId()).put("kind", n.kind().name()).put("runId", n.runId())
                .put("attempt", n.attempt()).put("repository", n.repository()).put("repositoryUrl", n.repositoryUrl())
                .put("ref", n.ref()).put("sha", n.sha()).put("commitTitle", n.commitTitle()).put("author", n.author())
                .put("stage", n.stage()).put("reasonCode", n.reasonCode()).put("message", n.message())
                .put("logExcerpt", n.logExcerpt()).put("triggeredAt", n.triggeredAt().toString())
                .put("occurredAt", n.occurredAt().toString());
        if (n.artifact() != null) {
            Artifact a = n.artifact();
            ObjectNode artifact = body.putObject("artifact").put("kind", a.kind()).put("registry", a.registry())
                    .put("repository", a.repository()).put("digest", a.digest());
            a.tags().forEach(artifact.putArray("tags")::add);
        }
        if (n.request() != null) {
            ChangeRequest r = n.request();
            body.putObject("request").put("number", r.number()).put("kind", r.kind().name())
                    .put("sourceBranch", r.sourceBranch()).put("targetBranch", r.targetBranch())
                    .put("sourceRepository", r.sourceRepository()).put("author", r.author())
                    .put("fromFork", r.fromFork()).put("headSha", r.headSha()).put("webUrl", r.webUrl());
        }
        if (n.deployment() != null) {
            Deployment d = n.deployment();
            body.putObject("deployment").put("environment", d.environment()).put("targetKind", d.targetKind())
                    .put("url", d.url()).put("previousDigest", d.previousDigest()).put("rollback", d.rollback())
                    .put("rolledBackRunId", d.rolledBackRunId()).put("reason", d.reason());
        }
        return write(node);
    }

    static Delivery delivery(byte[] json) {
        JsonNode node = read(json);
        JsonNode n = required(node, "notification");
        JsonNode a = n.get("artifact");
        Artifact artifact = a == null || a.isNull() ? null : new Artifact(text(a, "kind"), text(a, "registry"),
                text(a, "repository"), text(a, "digest"), strings(a.path("tags")));
        return new Delivery(ChannelId.parse(text(node, "channel")), new Notification(
                text(n, "eventId"), EventKind.valueOf(text(n, "kind")), text(n, "runId"), required(n, "attempt").asInt(),
                text(n, "repository"), optional(n, "repositoryUrl"), text(n, "ref"), text(n, "sha"),
                optional(n, "commitTitle"), optional(n, "author"), text(n, "stage"), optional(n, "reasonCode"),
                optional(n, "message"), optional(n, "logExcerpt"), artifact, Instant.parse(text(n, "triggeredAt")),
                Instant.parse(text(n, "occurredAt")), request(n.get("request")), deployment(n.get("deployment"))));
    }

    /** The environment of a delivery; deliveries written before deployments were notified have none. */
    private static Deployment deployment(JsonNode d) {
        if (d == null || d.isNull()) {
            return null;
        }
        return new Deployment(text(d, "environment"), optional(d, "targetKind"), optional(d, "url"),
                optional(d, "previousDigest"), d.path("rollback").asBoolean(false), optional(d, "rolledBackRunId"),
                optional(d, "reason"));
    }

    /** The request of a delivery; deliveries written before requests were notified have none. */
    private static ChangeRequest request(JsonNode r) {
        if (r == null || r.isNull()) {
            return null;
        }
        return new ChangeRequest(required(r, "number").asInt(), ChangeRequest.Kind.valueOf(text(r, "kind")),
                text(r, "sourceBranch"), text(r, "targetBranch"), text(r, "sourceRepository"), optional(r, "author"),
                required(r, "fromFork").asBoolean(), text(r, "headSha"), optional(r, "webUrl"));
    }

    static String memory(ChannelMemory memory) {
        ObjectNode node = JSON.createObjectNode();
        memory.notified().forEach(node.putArray("notified")::add);
        memory.finishedRuns().forEach(node.putArray("finishedRuns")::add);
        memory.issue().ifPresent(issue -> node.putObject("openIssue").put("id", issue.id()).put("url", issue.url())
                .put("lastFailureAt", issue.lastFailureAt().toString()));
        return write(node);
    }

    /**
     * A memory of one branch, or a memory of a whole repository written by a version that kept one record per channel
     * and repository (its issues in {@code openIssues} by branch).
     */
    static KafkaStateStore.Stored stored(byte[] json) {
        JsonNode node = read(json);
        List<String> notified = strings(node.path("notified"));
        List<String> finishedRuns = strings(node.path("finishedRuns"));
        if (node.has("openIssues")) {
            Map<String, ChannelMemory.OpenIssue> issues = new LinkedHashMap<>();
            node.get("openIssues").fields().forEachRemaining(e -> issues.put(e.getKey(), openIssue(e.getValue())));
            return new KafkaStateStore.RepositoryMemory(notified, issues, finishedRuns);
        }
        JsonNode issue = node.get("openIssue");
        return new KafkaStateStore.BranchMemory(new ChannelMemory(notified,
                issue == null || issue.isNull() ? null : openIssue(issue), finishedRuns));
    }

    private static ChannelMemory.OpenIssue openIssue(JsonNode issue) {
        return new ChannelMemory.OpenIssue(text(issue, "id"), optional(issue, "url"),
                Instant.parse(text(issue, "lastFailureAt")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode read(byte[] json) {
        try {
            if (json == null) {
                throw new IllegalArgumentException("no JSON document (null value)");
            }
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a JSON document: " + e.getMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

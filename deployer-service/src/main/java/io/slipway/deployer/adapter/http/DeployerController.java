package io.slipway.deployer.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.policy.Names;
import io.slipway.deployer.domain.DeployerService;
import io.slipway.deployer.domain.OperatorOutcome;
import io.slipway.deployer.domain.Placement;
import io.slipway.deployer.domain.Slot;
import io.slipway.deployer.domain.TargetUnavailable;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The operators' API: {@code POST /approvals} (deploy a waiting promotion, synchronously), {@code POST /rollbacks}
 * (restore an earlier digest) and {@code GET /environments} (what runs where). Every call needs the operator token
 * ({@link OperatorToken}); bodies are small JSON objects whose every field is checked at the door (400 naming it).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class DeployerController {

    static final int MAX_BODY = 8 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|[0-9a-fA-F-]{36}");
    private static final Pattern BY = Pattern.compile("[\\p{L}\\p{N} ._@+-]{1,64}");

    private final DeployerService deployer;
    private final OperatorToken token;

    DeployerController(DeployerService deployer, OperatorToken token) {
        this.deployer = deployer;
        this.token = token;
    }

    @Post(value = "/approvals", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> approve(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                 @Nullable @Body String body) {
        return call(authorization, body, Set.of("run", "environment", "by"), request -> {
            String run = required(request, "run");
            try {
                UUID.fromString(run);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("field 'run' must be a run id (a UUID), not " + Names.shown(run));
            }
            return deployer.approve(run, environment(request), by(request));
        });
    }

    @Post(value = "/rollbacks", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> rollback(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                  @Nullable @Body String body) {
        return call(authorization, body, Set.of("repository", "environment", "digest", "by"), request -> {
            String repository;
            try {
                repository = Names.repository("repository", required(request, "repository"));
            } catch (Names.Invalid e) {
                throw new BadRequest(e.getMessage());
            }
            String environment = environment(request);
            String digest = optional(request, "digest");
            if (digest != null && !DIGEST.matcher(digest).matches()) {
                throw new BadRequest("field 'digest' must be sha256:<64 hex digits> (or a Glance image id), not "
                        + Names.shown(digest));
            }
            return deployer.rollback(repository, environment, digest, by(request));
        });
    }

    /** An operator's call on a body of {@code known} fields: checked token, then body, then the deployer acts. */
    private HttpResponse<String> call(String authorization, String body, Set<String> known, Action action) {
        HttpResponse<String> refused = refusal(authorization);
        if (refused != null) {
            return refused;
        }
        try {
            return answer(action.apply(object(body, known)));
        } catch (BadRequest e) {
            return message(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (TargetUnavailable | TransientFailure e) {
            return message(HttpStatus.SERVICE_UNAVAILABLE, "the target or Kafka is unavailable, nothing changed; retry"
                    + " later: " + e.getMessage());
        }
    }

    /** What an operator's call does with its checked body. */
    @FunctionalInterface
    private interface Action {
        OperatorOutcome apply(JsonNode request) throws TargetUnavailable;
    }

    @Get(value = "/environments", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> environments(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        HttpResponse<String> refused = refusal(authorization);
        if (refused != null) {
            return refused;
        }
        List<Slot> slots;
        try {
            slots = deployer.slots();
        } catch (TransientFailure e) {
            return message(HttpStatus.SERVICE_UNAVAILABLE, "the state could not be read, retry later: "
                    + e.getMessage());
        }
        ArrayNode list = JSON.createArrayNode();
        for (Slot slot : slots) {
            ObjectNode entry = list.addObject().put("environment", slot.environment())
                    .put("repository", slot.repository());
            Placement current = slot.current();
            if (current != null) {
                entry.put("digest", current.artifact().digest()).put("commit", current.run().commitSha())
                        .put("runId", current.run().runId()).put("since", current.deployedAt().toString())
                        .put("url", current.url()).put("rollback", current.rollback());
            }
            if (slot.pending() != null) {
                entry.putObject("pending").put("runId", slot.pending().artifact().run().runId())
                        .put("digest", slot.pending().artifact().artifact().digest())
                        .put("commit", slot.pending().artifact().run().commitSha())
                        .put("from", slot.pending().fromEnvironment())
                        .put("notBefore", slot.pending().notBefore().toString())
                        .put("approvalRequired", slot.pending().approvalRequired())
                        .put("approvedBy", slot.pending().approvedBy())
                        .put("waitingSince", slot.pending().waitingSince().toString());
            }
        }
        return HttpResponse.ok(list.toString());
    }

    private HttpResponse<String> refusal(String authorization) {
        return switch (token.refusal(authorization)) {
            case 0 -> null;
            case 503 -> message(HttpStatus.SERVICE_UNAVAILABLE, "no operator token is configured, so this API is off:"
                    + " set SLIPWAY_DEPLOYER_TOKEN (./slipway up makes one)");
            default -> HttpResponse.<String>status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"slipway-deployer\"")
                    .body(json("message", "send the operator token: Authorization: Bearer <token> (the value of"
                            + " SLIPWAY_DEPLOYER_TOKEN)"));
        };
    }

    private static HttpResponse<String> answer(OperatorOutcome outcome) {
        if (outcome instanceof OperatorOutcome.Done done) {
            Placement p = done.placement();
            ObjectNode body = JSON.createObjectNode().put("status", "deployed").put("message", done.message())
                    .put("runId", p.run().runId()).put("digest", p.artifact().digest()).put("url", p.url())
                    .put("rollback", p.rollback());
            return HttpResponse.ok(body.toString());
        }
        if (outcome instanceof OperatorOutcome.Waiting waiting) {
            return HttpResponse.<String>status(HttpStatus.ACCEPTED).body(json("message", waiting.message()));
        }
        if (outcome instanceof OperatorOutcome.NotFound notFound) {
            return message(HttpStatus.NOT_FOUND, notFound.message());
        }
        if (outcome instanceof OperatorOutcome.Conflict conflict) {
            return message(HttpStatus.CONFLICT, conflict.message());
        }
        OperatorOutcome.Failed failed = (OperatorOutcome.Failed) outcome;
        return HttpResponse.<String>status(HttpStatus.UNPROCESSABLE_ENTITY)
                .body(JSON.createObjectNode().put("reason", failed.reason()).put("message", failed.message()).toString());
    }

    private static JsonNode object(String body, Set<String> known) {
        if (body == null || body.isBlank()) {
            throw new BadRequest("the body must be a JSON object with the fields " + known);
        }
        if (body.length() > MAX_BODY) {
            throw new BadRequest("the body is larger than " + MAX_BODY + " characters");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest("the body must be a JSON object with the fields " + known);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new BadRequest("field " + Names.shown(name) + " is unknown (known: " + known + ")");
            }
        }
        return node;
    }

    private static String required(JsonNode request, String field) {
        String value = optional(request, field);
        if (value == null || value.isEmpty()) {
            throw new BadRequest("field '" + field + "' is missing or empty");
        }
        return value;
    }

    private static String optional(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequest("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static String environment(JsonNode request) {
        try {
            return Names.environment("environment", required(request, "environment"));
        } catch (Names.Invalid e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static String by(JsonNode request) {
        String by = optional(request, "by");
        if (by == null || by.isBlank()) {
            return "operator";
        }
        if (!BY.matcher(by).matches()) {
            throw new BadRequest("field 'by' must be a name of at most 64 letters, digits, blanks and ._@+-, not "
                    + Names.shown(by));
        }
        return by;
    }

    private static HttpResponse<String> message(HttpStatus status, String message) {
        return HttpResponse.<String>status(status).body(json("message", message));
    }

    private static String json(String field, String value) {
        return JSON.createObjectNode().put(field, value).toString();
    }

    /** A body refused at the door: 400 with the message. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}

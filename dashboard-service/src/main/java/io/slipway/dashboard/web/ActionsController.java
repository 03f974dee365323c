package io.slipway.dashboard.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.slipway.common.policy.Names;
import io.slipway.dashboard.deployer.DeployerActions;

import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The environments page's buttons: {@code POST /actions/approve} {@code {"run","environment"}} and
 * {@code POST /actions/rollback} {@code {"repository","environment","digest"?}}, forwarded to the deployer's
 * {@code /approvals} and {@code /rollbacks} with the person's {@code Authorization: Bearer} header; the answer is the
 * deployer's status and body. Without a bearer token nothing is forwarded (401); an unreachable deployer is a 502.
 * The dashboard keeps no token.
 */
@Controller("/actions")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ActionsController {

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern BEARER = Pattern.compile("Bearer [\\x21-\\x7e]{1,4096}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeployerActions deployer;

    ActionsController(DeployerActions deployer) {
        this.deployer = deployer;
    }

    @Post(value = "/approve", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> approve(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                 @Body String body) {
        if (!isBearer(authorization)) {
            return unauthorized();
        }
        ObjectNode request = parse(body, Set.of("run", "environment"));
        ObjectNode forwarded = JSON.createObjectNode()
                .put("run", RunPaths.runId(required(request, "run")))
                .put("environment", environment(required(request, "environment")));
        return forward(() -> deployer.approve(authorization, forwarded.toString()));
    }

    @Post(value = "/rollback", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> rollback(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                  @Body String body) {
        if (!isBearer(authorization)) {
            return unauthorized();
        }
        ObjectNode request = parse(body, Set.of("repository", "environment", "digest"));
        String repository = required(request, "repository");
        Names.repositoryProblem(repository).ifPresent(problem -> {
            throw new BadRequest("repository: " + problem);
        });
        ObjectNode forwarded = JSON.createObjectNode().put("repository", repository)
                .put("environment", environment(required(request, "environment")));
        Optional<String> digest = optional(request, "digest");
        if (digest.isPresent()) {
            if (!DIGEST.matcher(digest.get()).matches()) {
                throw new BadRequest("digest must be sha256: and 64 lowercase hex digits");
            }
            forwarded.put("digest", digest.get());
        }
        return forward(() -> deployer.rollback(authorization, forwarded.toString()));
    }

    @Error(exception = BadRequest.class)
    HttpResponse<String> refused(BadRequest refused) {
        return message(HttpStatus.BAD_REQUEST, refused.getMessage());
    }

    private HttpResponse<String> forward(Supplier<DeployerActions.Answer> call) {
        DeployerActions.Answer answer;
        try {
            answer = call.get();
        } catch (DeployerActions.Unreachable e) {
            return message(HttpStatus.BAD_GATEWAY, e.getMessage() + "; nothing was changed by the dashboard");
        }
        HttpStatus status;
        try {
            status = HttpStatus.valueOf(answer.status());
        } catch (IllegalArgumentException e) {
            return message(HttpStatus.BAD_GATEWAY, "the deployer answered with status " + answer.status()
                    + ", which the dashboard does not know");
        }
        return HttpResponse.<String>status(status).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(answerBody(answer));
    }

    /** The deployer's JSON object as it sent it, or its text as a message when it is not one. */
    private static String answerBody(DeployerActions.Answer answer) {
        try {
            JsonNode body = JSON.readTree(answer.body() == null ? "" : answer.body());
            if (body != null && body.isObject()) {
                return body.toString();
            }
        } catch (JsonProcessingException e) {
            // not JSON: passed on as a message below
        }
        return JSON.createObjectNode().put("message", answer.body()).toString();
    }

    private static boolean isBearer(String authorization) {
        return authorization != null && BEARER.matcher(authorization).matches();
    }

    private static HttpResponse<String> unauthorized() {
        return message(HttpStatus.UNAUTHORIZED, "send the operator token: Authorization: Bearer <token>; "
                + "nothing was sent to the deployer")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"slipway-dashboard\"");
    }

    private static MutableHttpResponse<String> message(HttpStatus status, String message) {
        return HttpResponse.<String>status(status).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(JSON.createObjectNode().put("message", message).toString());
    }

    private static ObjectNode parse(String body, Set<String> known) {
        JsonNode node;
        try {
            node = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest("the body must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new BadRequest("unknown field " + Names.shown(name) + "; known: " + String.join(", ", known));
            }
        }
        return (ObjectNode) node;
    }

    private static String required(ObjectNode request, String field) {
        return optional(request, field).orElseThrow(() -> new BadRequest(field + " is required (a string)"));
    }

    private static Optional<String> optional(ObjectNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new BadRequest(field + " must be a non-empty string");
        }
        return Optional.of(value.asText());
    }

    private static String environment(String environment) {
        Names.environmentProblem(environment).ifPresent(problem -> {
            throw new BadRequest("environment: " + problem);
        });
        return environment;
    }
}

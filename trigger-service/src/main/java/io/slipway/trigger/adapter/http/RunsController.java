package io.slipway.trigger.adapter.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.trigger.adapter.forge.WebhookSignatures;
import io.slipway.trigger.config.TriggerProperties;
import io.slipway.trigger.domain.ManualRun;
import io.slipway.trigger.domain.TriggerService;

/**
 * {@code POST /runs}: start or re-run a pipeline by hand, as "Build now" / "Retry" do in Jenkins and GitLab.
 * Requires {@code Authorization: Bearer <SLIPWAY_RUN_TOKEN>}; a re-run keeps its run id and gets the next attempt.
 */
@Controller("/runs")
public class RunsController {

    /** The request body; {@code sha} and {@code cloneUrl} are optional. */
    @Serdeable
    public record RunRequest(@Nullable String repository, @Nullable String ref, @Nullable String sha,
                             @Nullable String cloneUrl) {
    }

    private final TriggerService trigger;
    private final TriggerProperties properties;

    RunsController(TriggerService trigger, TriggerProperties properties) {
        this.trigger = trigger;
        this.properties = properties;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<Answer> run(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                             @Nullable @Body RunRequest request) {
        String token = properties.runToken();
        if (token == null || token.isBlank()) {
            return reject(HttpStatus.FORBIDDEN, "manual runs are disabled: set SLIPWAY_RUN_TOKEN to enable them");
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return HttpResponse.<Answer>status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .body(Answer.rejected("missing Authorization: Bearer <token>"));
        }
        if (!WebhookSignatures.tokenMatches(token, authorization.substring("Bearer ".length()).trim())) {
            return reject(HttpStatus.FORBIDDEN, "the token is not valid");
        }
        if (request == null) {
            return reject(HttpStatus.BAD_REQUEST, "body must be a JSON object with 'repository' and 'ref'");
        }
        if (request.repository() == null || request.repository().isBlank()) {
            return reject(HttpStatus.BAD_REQUEST, "missing or empty field 'repository'");
        }
        if (request.ref() == null || !request.ref().startsWith("refs/")) {
            return reject(HttpStatus.BAD_REQUEST, "field 'ref' must be a full ref such as refs/heads/main");
        }
        if (request.sha() != null && !request.sha().matches("[0-9a-fA-F]{40}")) {
            return reject(HttpStatus.BAD_REQUEST, "field 'sha' is not a 40-character commit sha");
        }
        try {
            return Answers.of(trigger.manual(new ManualRun(request.repository(), request.ref(),
                    request.sha() == null ? null : request.sha().toLowerCase(java.util.Locale.ROOT),
                    request.cloneUrl(), "api")));
        } catch (TransientFailure e) {
            return reject(HttpStatus.SERVICE_UNAVAILABLE, "could not record the run, please retry: " + e.getMessage());
        }
    }

    private static HttpResponse<Answer> reject(HttpStatus status, String message) {
        return HttpResponse.<Answer>status(status).body(Answer.rejected(message));
    }
}

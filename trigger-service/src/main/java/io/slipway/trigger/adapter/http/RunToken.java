package io.slipway.trigger.adapter.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.slipway.trigger.adapter.forge.WebhookSignatures;
import io.slipway.trigger.config.TriggerProperties;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The operators' run token ({@code SLIPWAY_RUN_TOKEN}), which {@code POST /runs} and {@code POST /approvals} require
 * as {@code Authorization: Bearer <token>}: both are off (403) while it is empty; a missing token is 401, a wrong one
 * 403, compared in constant time.
 */
@Singleton
final class RunToken {

    private final TriggerProperties properties;

    RunToken(TriggerProperties properties) {
        this.properties = properties;
    }

    /** The answer refusing {@code authorization} for {@code what} (e.g. "manual runs"), or empty when it is valid. */
    Optional<HttpResponse<Answer>> refusal(@Nullable String authorization, String what) {
        String token = properties.runToken();
        if (token == null || token.isBlank()) {
            return Optional.of(HttpResponse.<Answer>status(HttpStatus.FORBIDDEN)
                    .body(Answer.rejected(what + " are disabled: set SLIPWAY_RUN_TOKEN to enable them")));
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.of(HttpResponse.<Answer>status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .body(Answer.rejected("missing Authorization: Bearer <token>")));
        }
        if (!WebhookSignatures.tokenMatches(token, authorization.substring("Bearer ".length()).trim())) {
            return Optional.of(HttpResponse.<Answer>status(HttpStatus.FORBIDDEN)
                    .body(Answer.rejected("the token is not valid")));
        }
        return Optional.empty();
    }
}

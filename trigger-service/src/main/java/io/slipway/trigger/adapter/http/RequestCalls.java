package io.slipway.trigger.adapter.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.policy.Names;
import io.slipway.trigger.domain.Outcome;
import io.slipway.trigger.domain.WatchedRepositories;

import java.util.function.BiFunction;

/**
 * An operator's call about one pull or merge request ({@code POST /approvals}, {@code POST /runs} with
 * {@code request}): the repository name is checked at the door as a push's is (400 naming the field), the number must
 * be 1 or more (400), the repository must be watched (404); a failure to record is 503.
 */
final class RequestCalls {

    private RequestCalls() {
    }

    static HttpResponse<Answer> act(WatchedRepositories repositories, @Nullable String repository,
                                    @Nullable Integer number, BiFunction<String, Integer, Outcome> action) {
        if (number == null || number < 1) {
            return reject(HttpStatus.BAD_REQUEST, "field 'request' must be a request number (1 or more), not "
                    + number);
        }
        String name;
        try {
            name = Names.repository("repository", repository);
        } catch (Names.Invalid e) {
            return reject(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (repositories.find(name).isEmpty()) {
            return reject(HttpStatus.NOT_FOUND, "repository '" + name + "' is not watched by this Slipway");
        }
        try {
            return Answers.of(action.apply(name, number));
        } catch (TransientFailure e) {
            return reject(HttpStatus.SERVICE_UNAVAILABLE, "could not record it, please retry: " + e.getMessage());
        }
    }

    private static HttpResponse<Answer> reject(HttpStatus status, String message) {
        return HttpResponse.<Answer>status(status).body(Answer.rejected(message));
    }
}

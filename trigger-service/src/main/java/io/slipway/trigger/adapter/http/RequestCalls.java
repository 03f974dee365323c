package io.slipway.trigger.adapter.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.slipway.common.policy.Names;
import io.slipway.trigger.domain.Outcome;
import io.slipway.trigger.domain.WatchedRepositories;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import static io.slipway.trigger.adapter.http.Answers.reject;

/**
 * An operator's call about one pull or merge request ({@code POST /approvals}, {@code POST /runs} with
 * {@code request}): the repository name is checked at the door as a push's is (400 naming the field), the number must
 * be 1 or more (400), the repository must be watched (404); a failure to record is 503.
 */
final class RequestCalls {

    private RequestCalls() {
    }

    static CompletableFuture<HttpResponse<Answer>> act(WatchedRepositories repositories, @Nullable String repository,
                                                       @Nullable Integer number,
                                                       BiFunction<String, Integer, CompletableFuture<Outcome>> action) {
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
        return Answers.of(() -> action.apply(name, number), "could not record it, please retry");
    }
}

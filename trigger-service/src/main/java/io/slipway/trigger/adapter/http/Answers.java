package io.slipway.trigger.adapter.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.trigger.domain.Outcome;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Maps a trigger {@link Outcome} to its HTTP answer; a {@link TransientFailure} (Kafka did not record it in time),
 * whether thrown at once or completing the outcome, is answered 503 with a message saying to send it again.
 */
final class Answers {

    private Answers() {
    }

    /**
     * The answer to {@code call}'s outcome, completed when the outcome is; {@code retry} starts the 503's message
     * ("could not record the push, please redeliver").
     */
    static CompletableFuture<HttpResponse<Answer>> of(Supplier<CompletableFuture<Outcome>> call, String retry) {
        CompletableFuture<Outcome> outcome;
        try {
            outcome = call.get();
        } catch (TransientFailure e) {
            return CompletableFuture.completedFuture(unavailable(retry, e));
        }
        return outcome.handle((done, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null) {
                return of(done);
            }
            if (cause instanceof TransientFailure transientFailure) {
                return unavailable(retry, transientFailure);
            }
            throw failure instanceof CompletionException completion ? completion : new CompletionException(cause);
        });
    }

    /** A refusal, answered at once. */
    static CompletableFuture<HttpResponse<Answer>> reject(HttpStatus status, String message) {
        return CompletableFuture.completedFuture(HttpResponse.<Answer>status(status).body(Answer.rejected(message)));
    }

    private static HttpResponse<Answer> unavailable(String retry, TransientFailure failure) {
        return HttpResponse.<Answer>status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Answer.rejected(retry + ": " + failure.getMessage()));
    }

    static HttpResponse<Answer> of(Outcome outcome) {
        if (outcome instanceof Outcome.Accepted a) {
            return HttpResponse.<Answer>status(HttpStatus.ACCEPTED)
                    .body(new Answer("accepted", a.runId(), "run " + a.runId() + " starts"));
        }
        if (outcome instanceof Outcome.Duplicate d) {
            return HttpResponse.ok(new Answer("duplicate", d.runId(), d.reason()));
        }
        if (outcome instanceof Outcome.Ignored i) {
            return HttpResponse.ok(new Answer("ignored", null, i.reason()));
        }
        if (outcome instanceof Outcome.AwaitingApproval w) {
            return HttpResponse.<Answer>status(HttpStatus.ACCEPTED).body(new Answer("awaiting-approval", w.runId(),
                    w.reason()));
        }
        if (outcome instanceof Outcome.Closed c) {
            return HttpResponse.<Answer>status(HttpStatus.ACCEPTED).body(new Answer("closed", null, c.reason()));
        }
        if (outcome instanceof Outcome.Conflict c) {
            return HttpResponse.<Answer>status(HttpStatus.CONFLICT).body(Answer.rejected(c.reason()));
        }
        if (outcome instanceof Outcome.Refused r) {
            return HttpResponse.<Answer>status(HttpStatus.UNPROCESSABLE_ENTITY).body(Answer.rejected(r.reason()));
        }
        Outcome.Unknown u = (Outcome.Unknown) outcome;
        return HttpResponse.<Answer>status(HttpStatus.NOT_FOUND).body(Answer.rejected(u.reason()));
    }
}

package io.slipway.trigger.adapter.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.slipway.trigger.domain.Outcome;

/** Maps a trigger {@link Outcome} to its HTTP answer. */
final class Answers {

    private Answers() {
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

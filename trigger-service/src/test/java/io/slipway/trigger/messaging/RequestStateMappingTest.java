package io.slipway.trigger.messaging;

import io.slipway.events.RequestState;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RequestEvent;
import io.slipway.trigger.domain.RequestService;
import io.slipway.trigger.domain.RequestStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RequestStateMappingTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final String HEAD = "d".repeat(40);

    @Test
    void aWaitingForksHeadTravelsAsTheRunItStartsOnceApproved() {
        Push waiting = new Push("github", "d-1", "org/app", "https://example.org/org/app.git", "https://example.org/org/app",
                "refs/pull/5/head", HEAD, "Add a feature", "stranger", null, AT, false, null,
                new Push.Request(5, RequestEvent.Kind.PULL, "feature", "main", "stranger/app", true, HEAD, "stranger",
                        false, "https://example.org/org/app/pull/5"));
        RequestStatus status = new RequestStatus("org/app", 5, true, HEAD, 1234, false, waiting, AT);

        RequestState state = RequestStateWriter.toState(status, AT.plusMillis(1));
        RequestStatus back = RequestStateWriter.toStatus(state);

        assertThat(state.getAwaitingApproval().getCommit().getRef()).isEqualTo("refs/pull/5/head");
        assertThat(state.getAwaitingApproval().getRequest().getFromFork()).isTrue();
        assertThat(state.getUpdatedAt()).isEqualTo(AT.plusMillis(1));
        assertThat(back.awaiting()).isEqualTo(waiting.from(RequestService.APPROVAL_SOURCE, null));
        assertThat(back).usingRecursiveComparison().ignoringFields("awaiting", "updatedAt").isEqualTo(status);
    }

    @Test
    void aClosedRequestWithNothingWaitingHasNoAwaitingRun() {
        RequestStatus closed = new RequestStatus("org/app", 5, false, HEAD, 99, true, null, AT);

        RequestState state = RequestStateWriter.toState(closed, AT);

        assertThat(state.getAwaitingApproval()).isNull();
        assertThat(RequestStateWriter.toStatus(state)).isEqualTo(closed);
    }
}

package io.slipway.common.requests;

import io.slipway.common.requests.RequestStates.Staleness;
import io.slipway.events.ChangeRequest;
import io.slipway.events.Commit;
import io.slipway.events.RequestState;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StalenessTest {

    private static RunContext run(String head, long sequence) {
        ChangeRequest request = ChangeRequest.newBuilder().setNumber(12).setKind("pull").setSourceBranch("fix")
                .setTargetBranch("main").setSourceRepository("fork/app").setFromFork(true).setHeadSha(head).build();
        return RunContext.newBuilder().setRunId("r-" + head).setAttempt(1)
                .setRepository(Repository.newBuilder().setFullName("team/app").setCloneUrl("https://x/team/app.git").build())
                .setCommit(Commit.newBuilder().setSha(head).setRef("refs/pull/12/head").setMessage("m")
                        .setAuthorName("a").setTimestamp(Instant.EPOCH).build())
                .setTriggeredAt(Instant.EPOCH).setAcceptedSequence(sequence).setRequest(request).build();
    }

    private static RequestState state(boolean open, String head, long sequence) {
        return RequestState.newBuilder().setRepository("team/app").setNumber(12).setOpen(open).setHeadSha(head)
                .setSequence(sequence).setUpdatedAt(Instant.EPOCH).build();
    }

    @Test
    void aRunIsStaleOnceItsRequestGotAnotherHeadAfterIt() {
        assertThat(Staleness.of(run("aaa", 10), state(true, "bbb", 11)))
                .hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo(Staleness.Reason.SUPERSEDED));
    }

    @Test
    void aRunIsStaleOnceItsRequestWasClosedAfterIt() {
        assertThat(Staleness.of(run("aaa", 10), state(false, "aaa", 11)))
                .hasValueSatisfying(s -> assertThat(s.message()).isEqualTo("Request #12 was closed"));
    }

    @Test
    void theNewestHeadAndRunsAcceptedAfterTheStateAreNotStale() {
        assertThat(Staleness.of(run("aaa", 10), state(true, "aaa", 10))).isEmpty();
        assertThat(Staleness.of(run("ccc", 12), state(false, "bbb", 11))).isEmpty();
    }

    @Test
    void anotherRequestsStateSaysNothing() {
        RequestState other = state(false, "bbb", 99);
        other.setNumber(13);
        assertThat(Staleness.of(run("aaa", 10), other)).isEmpty();
    }
}

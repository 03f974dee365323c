package io.slipway.common.requests;

import io.slipway.events.ChangeRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeRequestsTest {

    @Test
    void aPullRequestIsShownWithAHashAndAMergeRequestWithAnExclamationMark() {
        assertThat(ChangeRequests.nameWithTarget(request("pull", 12, "main"))).isEqualTo("#12 → main");
        assertThat(ChangeRequests.name(request("merge", 7, "develop"))).isEqualTo("!7");
    }

    @Test
    void theRefsForgesKeepRequestsUnderAreRequestRefsAndBranchesAndTagsAreNot() {
        assertThat(ChangeRequests.isRequestRef("refs/pull/12/head")).isTrue();
        assertThat(ChangeRequests.isRequestRef("refs/pull/12/merge")).isTrue();
        assertThat(ChangeRequests.isRequestRef("refs/merge-requests/7/head")).isTrue();
        assertThat(ChangeRequests.isRequestRef("refs/heads/pull/12/head")).isFalse();
        assertThat(ChangeRequests.isRequestRef("refs/tags/v1.0.0")).isFalse();
        assertThat(ChangeRequests.isRequestRef(null)).isFalse();
    }

    private static ChangeRequest request(String kind, int number, String target) {
        return ChangeRequest.newBuilder().setNumber(number).setKind(kind).setSourceBranch("feature/x")
                .setTargetBranch(target).setSourceRepository("org/app").setFromFork(false)
                .setHeadSha("6dcb09b5b57875f334f61aebed695e2e4193db5e").build();
    }
}

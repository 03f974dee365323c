package io.slipway.builder.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SupersedeIndexTest {

    private final SupersedeIndex index = new SupersedeIndex();

    @Test
    void aLaterCommitOfTheSameBranchSupersedesTheWaitingOne() {
        assertThat(index.restartFor(0, 10)).hasValue(11);
        index.seen(0, 11, "org/app", "refs/heads/main", "bbb");
        index.seen(0, 12, "org/app", "refs/heads/feature", "ccc");
        index.seen(0, 13, "org/other", "refs/heads/main", "ddd");
        index.seen(0, 14, "org/app", "refs/heads/main", "eee");

        assertThat(index.newerThan(0, 10, "org/app", "refs/heads/main")).contains("eee");
        assertThat(index.newerThan(0, 11, "org/app", "refs/heads/main")).contains("eee");
        assertThat(index.newerThan(0, 14, "org/app", "refs/heads/main")).as("the newest is built").isEmpty();
        assertThat(index.newerThan(0, 12, "org/app", "refs/heads/feature")).as("other branch").isEmpty();
        assertThat(index.newerThan(1, 10, "org/app", "refs/heads/main")).as("other lane").isEmpty();
    }

    @Test
    void readsALaneOnlyOnceGoingForwardAndAgainAfterARewind() {
        assertThat(index.restartFor(2, 5)).hasValue(6);
        assertThat(index.restartFor(2, 6)).isEmpty();
        assertThat(index.restartFor(2, 9)).isEmpty();
        index.seen(2, 7, "org/app", "refs/heads/main", "a");

        assertThat(index.restartFor(2, 3)).as("a handed-back record is re-read from its position").hasValue(4);
        assertThat(index.newerThan(2, 3, "org/app", "refs/heads/main")).as("lane forgotten until re-read").isEmpty();
        index.forget(2);
        assertThat(index.restartFor(2, 8)).hasValue(9);
    }
    @Test
    void forgetsWhatLiesBehindTheRequestAskedAboutSoALaneHoldsOnlyWaitingRequests() {
        assertThat(index.restartFor(0, 0)).hasValue(1);
        for (int i = 1; i <= 1000; i++) {
            index.seen(0, i, "org/app", "refs/heads/branch-" + i, "sha-" + i);
        }

        assertThat(index.restartFor(0, 990)).isEmpty();

        assertThat(index.size()).isEqualTo(10);
        assertThat(index.newerThan(0, 990, "org/app", "refs/heads/branch-995")).contains("sha-995");
        assertThat(index.restartFor(0, 500)).as("going back past what was forgotten reads the lane again").hasValue(501);
    }
}

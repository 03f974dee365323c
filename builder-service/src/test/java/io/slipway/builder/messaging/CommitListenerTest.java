package io.slipway.builder.messaging;

import io.slipway.builder.domain.BuildOutcome;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.builder.domain.Builds;
import io.slipway.builder.domain.DryRunBuilds;
import io.slipway.common.kafka.Batching;
import io.slipway.common.requests.StalenessWatch;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** How the builder groups its records into transactions, by backend, with one worker per build slot. */
class CommitListenerTest {

    private static CommitListener listenerOf(Builds builds) {
        return new CommitListener(null, new CommitBuilding(builds, null, null, Clock.systemUTC(), null),
                "builder-service", 3);
    }

    @Test
    void aBackendThatBuildsGivesEachCommitItsOwnTransaction() {
        CommitListener listener = listenerOf(new Builds() {
            @Override
            public BuildOutcome build(BuildRequest request, StalenessWatch watch) {
                throw new UnsupportedOperationException("not built here");
            }

            @Override
            public void shutdown(Duration grace) {
            }
        });

        assertThat(listener.subscription().batching()).isEqualTo(Batching.PER_RECORD);
        assertThat(listener.subscription().threads()).isEqualTo(3);
    }

    @Test
    void theDryRunBackendGivesAPollOfCommitsOneTransaction() {
        CommitListener listener = listenerOf(new DryRunBuilds("registry.test", "staging"));

        assertThat(listener.subscription().batching()).isEqualTo(Batching.PER_POLL);
    }
}

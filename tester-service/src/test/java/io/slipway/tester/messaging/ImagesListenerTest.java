package io.slipway.tester.messaging;

import io.slipway.common.kafka.Batching;
import io.slipway.tester.domain.DryRunTests;
import io.slipway.tester.domain.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the tester groups its records into transactions, by backend. */
class ImagesListenerTest {

    @Test
    void aBackendThatTestsGivesEachImageItsOwnTransaction() {
        ImagesListener listener = new ImagesListener(null, new ImageTesting(
                (request, watch) -> new Outcome.Passed(List.of(), null, 0), null, null, null));

        assertThat(listener.subscription().batching()).isEqualTo(Batching.PER_RECORD);
    }

    @Test
    void theDryRunBackendGivesAPollOfImagesOneTransaction() {
        ImagesListener listener = new ImagesListener(null, new ImageTesting(new DryRunTests(), null, null, null));

        assertThat(listener.subscription().batching()).isEqualTo(Batching.PER_POLL);
    }
}

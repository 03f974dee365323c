package io.slipway.tester.messaging;

import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.RetriesExhausted;
import io.slipway.common.requests.RequestStates;
import io.slipway.events.ImageBuilt;
import io.slipway.schemas.Topics;
import io.slipway.tester.domain.ImageTests;
import io.slipway.tester.domain.Outcome;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * Runs the tester for one {@code ImageBuilt} and publishes its outcome, after the run's JUnit report
 * ({@code TestReport} on {@code slipway.reports}, keyed by run id) when suites ran, passed or failed. A Docker engine or registry that stays
 * unreachable is retried by the record pipeline (the record stays uncommitted); when the retry budget is spent the
 * run ends as {@code BuildFailed INFRASTRUCTURE}, retryable, saying what was unreachable and for how long. The test of
 * a run whose pull or merge request moved on ({@code slipway.requests}) is not run, or stopped, and ends as
 * {@code BuildFailed SUPERSEDED} or {@code CANCELLED}.
 */
@Singleton
public class ImageTesting {

    private final ImageTests tester;
    private final EventPublisher publisher;
    private final TestRunObserver observer;
    private final RequestStates requests;
    private final Clock clock = Clock.systemUTC();

    ImageTesting(ImageTests tester, EventPublisher publisher, TestRunObserver observer, RequestStates requests) {
        this.tester = tester;
        this.publisher = publisher;
        this.observer = observer;
        this.requests = requests;
    }

    /** True when no test does work (the dry-run backend; see {@link ImageTests#light()}). */
    boolean light() {
        return tester.light();
    }

    void test(ImageBuilt event) {
        publish(event, tester.test(EventMapping.request(event), requests.watch(event.getRun())));
    }

    /** The outcome of a run whose engine or registry stayed unreachable through the retry budget. */
    void gaveUp(ImageBuilt event, RetriesExhausted exhausted) {
        publish(event, new Outcome.Failed(Outcome.Reason.INFRASTRUCTURE, "the tester could not reach the Docker engine "
                + "or the registry: " + exhausted.message(), "", true, List.of(), null));
    }

    private void publish(ImageBuilt event, Outcome outcome) {
        if (outcome.report() != null) {
            // Before the outcome: once TestsPassed or BuildFailed is out, the run's report is too.
            publisher.publish(Topics.REPORTS, event.getRun().getRunId(),
                    EventMapping.report(event, outcome, clock.instant()));
        }
        publisher.publish(EventMapping.outcome(event, outcome, clock.instant()));
        observer.published(outcome);
    }
}

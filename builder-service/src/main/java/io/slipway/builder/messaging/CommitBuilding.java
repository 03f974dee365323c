package io.slipway.builder.messaging;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.slipway.builder.config.BuilderProperties;
import io.slipway.builder.domain.BuildInterrupted;
import io.slipway.builder.domain.BuildOutcome;
import io.slipway.builder.domain.Builds;
import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.RetriesExhausted;
import io.slipway.common.requests.RequestStates;
import io.slipway.events.CommitReceived;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Builds one {@code CommitReceived} and publishes {@code ImageBuilt} or {@code BuildFailed}. A build the service
 * cancels at shutdown is handed back uncommitted; a run whose pull or merge request moved on ({@code slipway.requests})
 * is not built, or its build stopped, and ends as {@code BuildFailed SUPERSEDED} or {@code CANCELLED}; an unreachable Docker engine, registry or git server is retried by
 * the record pipeline, and when the retry budget is spent the run ends as {@code BuildFailed} with the fault's reason
 * ({@code INFRASTRUCTURE}, {@code SOURCE_UNAVAILABLE} …), retryable, saying what was unreachable and for how long.
 */
@Singleton
public class CommitBuilding {

    private final Builds builder;
    private final EventPublisher publisher;
    private final BuilderProperties properties;
    private final Clock clock;
    private final RequestStates requests;

    CommitBuilding(Builds builder, EventPublisher publisher, BuilderProperties properties, Clock clock,
                   RequestStates requests) {
        this.builder = builder;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
        this.requests = requests;
    }

    /** True when no build does work (the dry-run backend; see {@link Builds#light()}). */
    boolean light() {
        return builder.light();
    }

    void build(CommitReceived commit, int partition, long offset) {
        BuildOutcome outcome;
        try {
            outcome = builder.build(BuildMapping.toRequest(commit, partition, offset), requests.watch(commit.getRun()));
        } catch (BuildInterrupted e) {
            throw new RecordPipeline.RecordHandedBack("build of " + commit.getRun().getRunId() + " handed back: "
                    + e.getMessage(), e);
        }
        publisher.publish(BuildMapping.toEvent(commit, outcome, clock.instant()));
    }

    /** The outcome of a build whose dependency stayed unreachable through the retry budget. */
    void gaveUp(CommitReceived commit, RetriesExhausted exhausted) {
        Reason reason = Reason.INFRASTRUCTURE;
        String excerpt = null;
        if (exhausted.lastFault() instanceof InfrastructureUnavailable unavailable) {
            reason = unavailable.reason();
            excerpt = unavailable.logExcerpt();
        }
        publisher.publish(BuildMapping.toEvent(commit, new BuildOutcome.Failed(reason, exhausted.message(), excerpt,
                true), clock.instant()));
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        builder.shutdown(properties.shutdownGrace());
    }
}

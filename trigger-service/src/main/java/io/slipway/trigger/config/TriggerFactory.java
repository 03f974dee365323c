package io.slipway.trigger.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.slipway.common.glob.Glob;
import io.slipway.common.kafka.StageTransaction;
import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.trigger.domain.PushAdmission;
import io.slipway.trigger.domain.RefFilter;
import io.slipway.trigger.domain.RequestAdmission;
import io.slipway.trigger.domain.RequestBook;
import io.slipway.trigger.domain.RequestService;
import io.slipway.trigger.domain.RunEmitter;
import io.slipway.trigger.domain.RunIntake;
import io.slipway.trigger.domain.RunLedger;
import io.slipway.trigger.domain.TriggerService;
import io.slipway.trigger.domain.WatchedRepositories;
import io.slipway.trigger.domain.WatchedRepository;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** Builds the trigger's plain domain objects from configuration. */
@Factory
public class TriggerFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Built at start-up, so a ledger window shorter than the deliverer's outcome window (plus the pipeline margin)
     * stops the service instead of silently dropping re-runs.
     */
    @Context
    RunLedger runLedger(TriggerProperties properties, Clock clock) {
        TriggerProperties.Ledger ledger = properties.ledger();
        RunLedger.Limits limits = new RunLedger.Limits(ledger.window(), ledger.maxRuns());
        try {
            limits.requireOutlasting(ledger.delivererOutcomeWindow());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SLIPWAY_TRIGGER_LEDGER_WINDOW is too short for"
                    + " SLIPWAY_DELIVERER_OUTCOME_WINDOW: " + e.getMessage(), e);
        }
        return new RunLedger(limits, clock, () -> StageTransaction.currentId().orElse(RunLedger.NO_TRANSACTION));
    }

    @Singleton
    CloneUrlPolicy cloneUrlPolicy(TriggerProperties properties) {
        TriggerProperties.CloneUrls c = properties.cloneUrls();
        return new CloneUrlPolicy(new CloneUrlPolicy.Settings(Set.copyOf(c.schemes()),
                c.allowedHosts() == null ? Set.of() : Set.copyOf(c.allowedHosts()),
                c.allowFile(), c.allowLoopback(), c.allowPrivate()));
    }

    /** Built at start-up, so a malformed glob stops the service instead of failing every webhook. */
    @Context
    WatchedRepositories watchedRepositories(List<RepositoryProperties> entries) {
        return new WatchedRepositories(entries.stream()
                .filter(RepositoryProperties::isComplete)
                .sorted(java.util.Comparator.comparing(RepositoryProperties::index))
                .map(e -> new WatchedRepository(Glob.of(e.pattern()), e.secret(),
                        filter(e.branches(), e.excludeBranches()), filter(e.tags(), e.excludeTags()), e.requests()))
                .toList());
    }

    @Singleton
    TriggerService triggerService(CloneUrlPolicy cloneUrls, RunLedger ledger, RunIntake intake, RunEmitter emitter,
                                  RequestBook requests, Clock clock) {
        return new TriggerService(new PushAdmission(cloneUrls), ledger, intake, emitter, requests, clock);
    }

    @Singleton
    RequestService requestService(CloneUrlPolicy cloneUrls, TriggerService trigger, RunLedger ledger,
                                  RequestBook requests, Clock clock) {
        return new RequestService(new RequestAdmission(cloneUrls), trigger, ledger, requests, clock);
    }

    private static RefFilter filter(List<String> include, List<String> exclude) {
        return RefFilter.of(include == null || include.isEmpty() ? List.of("**") : include,
                exclude == null ? List.of() : exclude);
    }
}

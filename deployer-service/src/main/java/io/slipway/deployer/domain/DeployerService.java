package io.slipway.deployer.domain;

import io.slipway.common.policy.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The deployment stage. A published artifact goes at once to every environment without {@code after} that allows its
 * repository, ref (and, for a request's run, previews), narrowed by the repository's intent, which may name only such
 * environments (else {@code CONFIG_INVALID}). Each deployment emits a change, is recorded, and is smoke-checked
 * (operators' checks first); a failure rolls back to the previous artifact and fails the run ({@code SMOKE_FAILED}).
 * A deployment that passed queues its promotion to the environments that come after, which go once soaked and, where
 * required, approved; a newer run's promotion replaces a waiting one. A run already current is not deployed again, and
 * one older than the current is not deployed at all ({@code SUPERSEDED}). Only the first publication of a run's attempt
 * acts in an environment (the deliverer publishes one per registry it pushed to). A rollback withdraws the promotion
 * of the run it took out. One deployment at a time per environment and repository.
 */
public final class DeployerService {

    private static final Logger LOG = LoggerFactory.getLogger(DeployerService.class);
    private static final int REMEMBERED_PUBLICATIONS = 4096;

    private final Environments environments;
    private final EnvironmentStates states;
    private final DeploymentEvents events;
    private final SmokeChecks smoke;
    private final int historySize;
    private final Clock clock;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Set<String> handled = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_PUBLICATIONS;
                }
            }));

    public DeployerService(Environments environments, EnvironmentStates states, DeploymentEvents events,
                           SmokeChecks smoke, int historySize, Clock clock) {
        if (historySize < 1) {
            throw new IllegalArgumentException("the history must keep at least one deployment, not " + historySize);
        }
        this.environments = environments;
        this.states = states;
        this.events = events;
        this.smoke = smoke;
        this.historySize = historySize;
        this.clock = clock;
    }

    /** Deploys a published artifact to the environments it goes to at once (see the class comment). */
    public void published(Publication publication) throws TargetUnavailable {
        Run run = publication.run();
        Intent intent = publication.intent();
        Optional<String> invalid = invalidIntent(run, intent);
        if (invalid.isPresent()) {
            fail(run, null, "CONFIG_INVALID", invalid.get(), null);
            return;
        }
        List<Environment> chosen = environments.automatic().stream()
                .filter(e -> e.refusal(run) == null)
                .filter(e -> intent.environments().isEmpty() || intent.environments().contains(e.name()))
                .toList();
        if (chosen.isEmpty()) {
            LOG.info("Run {} of {} ({}): no environment takes it", run.runId(), run.repository(), run.ref());
        }
        for (Environment environment : chosen) {
            deploy(environment, run, publication.artifact(), intent.smoke(), intent);
        }
    }

    /** Deploys every waiting promotion that is due (soaked and, where required, approved). */
    public void tick() throws TargetUnavailable {
        states.refresh();
        Instant now = clock.instant();
        List<Slot> due = states.all().stream().filter(s -> s.pending() != null && s.pending().due(now)).toList();
        for (Slot slot : due) {
            Optional<Environment> environment = environments.find(slot.environment());
            if (environment.isPresent()) {
                promote(environment.get(), slot.repository(), slot.pending().artifact().run().runId());
            }
        }
    }

    /**
     * An operator approves the promotion of {@code runId} into {@code environment}; it deploys now when soaked, and
     * the call returns when it and its smoke checks finished.
     */
    public OperatorOutcome approve(String runId, String environmentName, String by) throws TargetUnavailable {
        Optional<Environment> found = environments.find(environmentName);
        if (found.isEmpty()) {
            return new OperatorOutcome.NotFound("there is no environment '" + environmentName + "'");
        }
        Environment environment = found.get();
        states.refresh();
        Optional<Slot> waiting = states.all().stream().filter(s -> s.environment().equals(environmentName)
                && s.pending() != null && s.pending().artifact().run().runId().equals(runId)).findFirst();
        if (waiting.isEmpty()) {
            return whyNothingWaits(runId, environment);
        }
        String repository = waiting.get().repository();
        ReentrantLock lock = lock(environmentName, repository);
        lock.lock();
        try {
            Slot slot = states.get(environmentName, repository).orElse(waiting.get());
            if (slot.pending() == null || !slot.pending().artifact().run().runId().equals(runId)) {
                return new OperatorOutcome.Conflict("the promotion of run " + runId + " to " + environmentName
                        + " was superseded by a newer run while you approved it");
            }
            Promotion approved = slot.pending().approved(by);
            states.put(slot.withPending(approved, clock.instant()));
            if (!approved.due(clock.instant())) {
                return new OperatorOutcome.Waiting("approved by " + by + "; run " + runId + " goes to "
                        + environmentName + " when its soak time ends at " + approved.notBefore());
            }
            Result result = deployLocked(environment, approved.artifact().run(), approved.artifact().artifact(),
                    approved.smoke(), null);
            return result.failed == null
                    ? new OperatorOutcome.Done(result.placement, "run " + runId + " deployed to " + environmentName)
                    : new OperatorOutcome.Failed(result.reason, result.failed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restores an earlier artifact of {@code repository} in {@code environment}: the one with {@code digest} from the
     * environment's history, or the previous one when {@code digest} is null.
     */
    public OperatorOutcome rollback(String repository, String environmentName, String digest, String by)
            throws TargetUnavailable {
        Optional<Environment> found = environments.find(environmentName);
        if (found.isEmpty()) {
            return new OperatorOutcome.NotFound("there is no environment '" + environmentName + "'");
        }
        Environment environment = found.get();
        states.refresh();
        ReentrantLock lock = lock(environmentName, repository);
        lock.lock();
        try {
            Optional<Slot> slot = states.get(environmentName, repository);
            if (slot.isEmpty() || slot.get().current() == null) {
                return new OperatorOutcome.NotFound(repository + " has never been deployed to " + environmentName);
            }
            Optional<Placement> target = slot.get().history().stream()
                    .filter(p -> digest == null || p.artifact().digest().equals(digest)).findFirst();
            if (target.isEmpty()) {
                return new OperatorOutcome.NotFound(digest == null
                        ? "nothing to roll back to: " + repository + " has no earlier deployment in " + environmentName
                        : "digest " + digest + " is not in the history of " + repository + " in " + environmentName);
            }
            Placement current = slot.get().current();
            try {
                Placement restored = restore(environment, slot.get(), target.get(), current, "MANUAL by " + by, true);
                return new OperatorOutcome.Done(restored, repository + " in " + environmentName + " runs "
                        + restored.artifact().digest() + " again");
            } catch (DeployFailed e) {
                return new OperatorOutcome.Failed(e.reasonCode(), "the rollback failed, " + environmentName
                        + " still runs " + current.artifact().digest() + ": " + e.getMessage());
            }
        } finally {
            lock.unlock();
        }
    }

    /** What runs where, every environment and repository, by environment then repository. */
    public List<Slot> slots() {
        states.refresh();
        List<Slot> all = new ArrayList<>(states.all());
        all.sort(Comparator.comparing(Slot::environment).thenComparing(Slot::repository));
        return all;
    }

    private OperatorOutcome whyNothingWaits(String runId, Environment environment) {
        if (environment.after() != null) {
            for (Slot slot : states.all()) {
                if (!slot.environment().equals(environment.after())) {
                    continue;
                }
                Optional<Placement> seen = placements(slot).stream()
                        .filter(p -> p.run().runId().equals(runId)).findFirst();
                if (seen.isPresent()) {
                    String refusal = environment.refusal(seen.get().run());
                    if (refusal != null) {
                        return new OperatorOutcome.Conflict("run " + runId + " may not go to " + environment.name()
                                + ": " + refusal);
                    }
                    Optional<Slot> here = states.get(environment.name(), slot.repository());
                    if (here.isPresent() && here.get().current() != null
                            && here.get().current().run().runId().equals(runId)) {
                        return new OperatorOutcome.Conflict("run " + runId + " already runs in " + environment.name());
                    }
                    Placement there = slot.current();
                    if (there == null || there.run().runId().equals(runId)) {
                        return new OperatorOutcome.Conflict("run " + runId + " no longer waits to go to "
                                + environment.name() + ": it went there before or failed there");
                    }
                    if (there.run().olderThan(seen.get().run())) {
                        return new OperatorOutcome.Conflict("run " + runId + " was rolled back in "
                                + environment.after() + ": it no longer waits to go to " + environment.name());
                    }
                    return new OperatorOutcome.Conflict("run " + runId + " was superseded by a newer run: it no longer"
                            + " waits to go to " + environment.name());
                }
            }
        }
        return new OperatorOutcome.NotFound("no promotion of run " + runId + " waits to go to " + environment.name());
    }

    private static List<Placement> placements(Slot slot) {
        List<Placement> all = new ArrayList<>();
        if (slot.current() != null) {
            all.add(slot.current());
        }
        all.addAll(slot.history());
        return all;
    }

    private Optional<String> invalidIntent(Run run, Intent intent) {
        for (String name : intent.environments()) {
            Optional<Environment> environment = environments.find(name);
            if (environment.isEmpty()) {
                return Optional.of("the deploy block names environment " + Names.shown(name)
                        + ", which the operators did not configure");
            }
            if (!environment.get().allowsRepository(run.repository())) {
                return Optional.of("the deploy block names environment '" + name + "', which is not allowed to "
                        + run.repository());
            }
        }
        for (SmokeCheck check : intent.smoke()) {
            Optional<String> problem = SmokeCheck.pathProblem(check.path());
            if (problem.isPresent()) {
                return Optional.of("the deploy block's " + problem.get());
            }
        }
        return Optional.empty();
    }

    private void promote(Environment environment, String repository, String runId) throws TargetUnavailable {
        ReentrantLock lock = lock(environment.name(), repository);
        lock.lock();
        try {
            Optional<Slot> slot = states.get(environment.name(), repository);
            if (slot.isEmpty() || slot.get().pending() == null
                    || !slot.get().pending().artifact().run().runId().equals(runId)
                    || !slot.get().pending().due(clock.instant())) {
                return;
            }
            Promotion promotion = slot.get().pending();
            deployLocked(environment, promotion.artifact().run(), promotion.artifact().artifact(), promotion.smoke(),
                    null);
        } finally {
            lock.unlock();
        }
    }

    private void deploy(Environment environment, Run run, Artifact artifact, List<SmokeCheck> repositorySmoke,
                        Intent intent) throws TargetUnavailable {
        ReentrantLock lock = lock(environment.name(), run.repository());
        lock.lock();
        try {
            String publication = environment.name() + "|" + run.repository() + "|" + run.runId() + "|" + run.attempt();
            if (handled.contains(publication)) {
                LOG.info("Run {} (attempt {}) of {} was already handled in {}; its publication to {} is acknowledged",
                        run.runId(), run.attempt(), run.repository(), environment.name(), artifact.registry());
                return;
            }
            deployLocked(environment, run, artifact, repositorySmoke, intent);
            handled.add(publication);
        } finally {
            lock.unlock();
        }
    }

    /** The outcome of one deployment: the placement that passed, or the failure's reason and message. */
    private record Result(Placement placement, String reason, String failed) {
    }

    /** {@code intent} null: a promotion, whose intent was applied when it was queued. */
    private Result deployLocked(Environment environment, Run run, Artifact artifact, List<SmokeCheck> repositorySmoke,
                                Intent intent) throws TargetUnavailable {
        Slot slot = states.get(environment.name(), run.repository())
                .orElse(Slot.empty(environment.name(), run.repository(), clock.instant()));
        Placement current = slot.current();
        Placement placement;
        Placement previous;
        if (current != null && current.run().runId().equals(run.runId())
                && current.artifact().digest().equals(artifact.digest())) {
            LOG.info("Run {} already runs in {}: not deployed again", run.runId(), environment.name());
            placement = current;
            previous = current.rollback() || slot.history().isEmpty() ? null : slot.history().get(0);
        } else if (current != null && run.olderThan(current.run())) {
            String message = "run " + run.runId() + " is older than run " + current.run().runId() + ", which already"
                    + " runs in " + environment.name() + ": not deployed";
            if (slot.pendingWithout(run) != slot.pending()) {
                states.put(slot.withPending(null, clock.instant()));
            }
            return fail(run, environment.name(), "SUPERSEDED", message, null);
        } else {
            Deployment deployment;
            try {
                deployment = environment.target().deploy(new DeployRequest(environment.name(), run.repository(),
                        artifact, run.runId(), run.commitSha(), false));
            } catch (DeployFailed e) {
                if (slot.pendingWithout(run) != slot.pending()) {
                    states.put(slot.withPending(null, clock.instant()));
                }
                return fail(run, environment.name(), e.reasonCode(), "deployment to " + environment.name()
                        + " failed, it keeps what it ran before: " + e.getMessage(), e.logExcerpt());
            }
            placement = new Placement(run, artifact, deployment.url().orElse(environment.url()), false,
                    clock.instant());
            previous = current;
            events.changed(new DeploymentEvents.Change(environment.name(), environment.target().kind(), placement,
                    previous, false, null, null, clock.instant()));
            slot = slot.deployed(placement, historySize, clock.instant());
            states.put(slot);
            LOG.info("Run {} of {} deployed to {}: {}", run.runId(), run.repository(), environment.name(),
                    artifact.digest());
        }
        List<SmokeCheck> checks = new ArrayList<>(environment.smoke());
        checks.addAll(repositorySmoke);
        Optional<String> smokeFailure = smoke.firstFailure(placement.url(), checks);
        if (smokeFailure.isPresent()) {
            return smokeFailed(environment, slot, placement, previous, smokeFailure.get());
        }
        queuePromotions(environment, placement, repositorySmoke, intent);
        return new Result(placement, null, null);
    }

    private Result smokeFailed(Environment environment, Slot slot, Placement failed, Placement previous,
                               String why) throws TargetUnavailable {
        Run run = failed.run();
        if (previous == null && failed.rollback()) {
            return fail(run, environment.name(), "SMOKE_FAILED", "smoke check failed in " + environment.name()
                    + ": " + why + ". A rollback put this run back there: it is not rolled back to what it replaced,"
                    + " so it stays", null);
        }
        if (previous == null) {
            return fail(run, environment.name(), "SMOKE_FAILED", "smoke check failed in " + environment.name()
                    + ": " + why + ". This was the first deployment there: there is nothing to roll back to, so it"
                    + " stays", null);
        }
        try {
            restore(environment, slot, previous, failed, "SMOKE_FAILED", false);
        } catch (DeployFailed e) {
            return fail(run, environment.name(), "SMOKE_FAILED", "smoke check failed in " + environment.name() + ": "
                    + why + "; the rollback to " + previous.artifact().digest() + " failed too: " + e.getMessage(),
                    e.logExcerpt());
        }
        return fail(run, environment.name(), "SMOKE_FAILED", "smoke check failed in " + environment.name() + ": "
                + why + "; rolled back to " + previous.artifact().digest() + " (run " + previous.run().runId() + ")",
                null);
    }

    /** Deploys {@code earlier} again in place of {@code current}; a manual rollback keeps the current in history. */
    private Placement restore(Environment environment, Slot slot, Placement earlier, Placement current, String reason,
                              boolean manual) throws DeployFailed, TargetUnavailable {
        Run run = earlier.run();
        Deployment deployment = environment.target().deploy(new DeployRequest(environment.name(), run.repository(),
                earlier.artifact(), run.runId(), run.commitSha(), true));
        Placement restored = new Placement(run, earlier.artifact(),
                deployment.url().orElse(earlier.url() != null ? earlier.url() : environment.url()), true,
                clock.instant());
        events.changed(new DeploymentEvents.Change(environment.name(), environment.target().kind(), restored, current,
                true, current.run().runId(), reason, clock.instant()));
        states.put(slot.restored(restored, manual, historySize, clock.instant()));
        LOG.warn("Rolled {} in {} back to {} (run {}): {}", run.repository(), environment.name(),
                earlier.artifact().digest(), run.runId(), reason);
        if (!current.run().runId().equals(run.runId())) {
            withdrawPromotions(environment, current.run());
        }
        return restored;
    }

    /** The run taken out of {@code environment} no longer waits to go to the environments after it. */
    private void withdrawPromotions(Environment environment, Run takenOut) {
        for (Environment next : environments.following(environment.name())) {
            ReentrantLock lock = lock(next.name(), takenOut.repository());
            lock.lock();
            try {
                Optional<Slot> slot = states.get(next.name(), takenOut.repository());
                if (slot.isPresent() && slot.get().pendingWithout(takenOut) != slot.get().pending()) {
                    states.put(slot.get().withPending(null, clock.instant()));
                    LOG.info("Run {} was rolled back in {}: its promotion to {} is withdrawn", takenOut.runId(),
                            environment.name(), next.name());
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void queuePromotions(Environment from, Placement placement, List<SmokeCheck> repositorySmoke,
                                 Intent intent) throws TargetUnavailable {
        Run run = placement.run();
        for (Environment next : environments.following(from.name())) {
            if (intent != null && !intent.environments().isEmpty() && !intent.environments().contains(next.name())) {
                continue;
            }
            String refusal = next.refusal(run);
            if (refusal != null) {
                LOG.info("Run {} is not promoted to {}: {}", run.runId(), next.name(), refusal);
                continue;
            }
            Instant now = clock.instant();
            Promotion promotion = new Promotion(placement, from.name(), repositorySmoke,
                    placement.deployedAt().plus(next.soak()), next.approval(), null, now);
            ReentrantLock lock = lock(next.name(), run.repository());
            lock.lock();
            try {
                Slot slot = states.get(next.name(), run.repository())
                        .orElse(Slot.empty(next.name(), run.repository(), now));
                if (slot.current() != null && (slot.current().run().runId().equals(run.runId())
                        || run.olderThan(slot.current().run()))) {
                    continue;
                }
                if (slot.pending() != null && run.olderThan(slot.pending().artifact().run())) {
                    LOG.info("Run {} is not promoted to {}: the newer run {} waits there", run.runId(), next.name(),
                            slot.pending().artifact().run().runId());
                    continue;
                }
                if (slot.pending() != null && slot.pending().artifact().run().runId().equals(run.runId())) {
                    promotion = slot.pending();
                } else {
                    if (slot.pending() != null) {
                        LOG.info("Run {} supersedes run {} waiting to go to {}", run.runId(),
                                slot.pending().artifact().run().runId(), next.name());
                    }
                    states.put(slot.withPending(promotion, now));
                }
            } finally {
                lock.unlock();
            }
            if (promotion.due(clock.instant())) {
                promote(next, run.repository(), run.runId());
            }
        }
    }

    private Result fail(Run run, String environment, String reason, String message, String logExcerpt) {
        LOG.warn("Run {} of {} failed at DEPLOY{} ({}): {}", run.runId(), run.repository(),
                environment == null ? "" : " in " + environment, reason, message);
        events.failed(new DeploymentEvents.Failure(run, environment, reason, message, logExcerpt, clock.instant()));
        return new Result(null, reason, message);
    }

    private ReentrantLock lock(String environment, String repository) {
        return locks.computeIfAbsent(environment + "|" + repository, key -> new ReentrantLock());
    }

}

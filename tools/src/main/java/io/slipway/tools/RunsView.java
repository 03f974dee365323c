package io.slipway.tools;

import io.slipway.common.requests.ChangeRequests;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.RunContext;
import io.slipway.events.TestsPassed;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Folds pipeline events into one summary per run attempt. The topics are the only source of truth: nothing is
 * stored besides them, so any reader that replays them sees the same runs. Events of one run may arrive from
 * different topics in any order; a terminal outcome is never replaced by a later non-terminal one. A pull or merge
 * request's run ends at TEST (it is never delivered): its TestsPassed is terminal. BuildFailed with reason
 * SUPERSEDED, CANCELLED or IGNORED ends a run as such, not as FAILED. A published run goes on to DEPLOY: each
 * {@code Deployed} of it adds its environment (DEPLOYED staging, production); a BuildFailed at DEPLOY ends it FAILED
 * there, and an earlier stage's event read late never moves it back. A rollback's {@code Deployed} is shown on the
 * run it restored (its {@code run}): it adds the environment and says what it took out, but does not lengthen the
 * restored run's duration; the run taken out keeps the environments it reached (what runs where now is
 * {@code ./slipway envs}).
 */
public final class RunsView {

    /** The BuildFailed reason codes that end a run without it having failed. */
    private static final Set<String> NOT_FAILURES = Set.of("SUPERSEDED", "CANCELLED", "IGNORED");
    private static final String DEPLOY = "DEPLOY";
    private static final String DEPLOYED = "DEPLOYED";

    private final Map<String, RunSummary> runs = new LinkedHashMap<>();

    /** Applies one event; returns the updated summary, or empty for an event that is not a pipeline event. */
    public Optional<RunSummary> apply(SpecificRecord event) {
        if (!(event.get(event.getSchema().getField("run").pos()) instanceof RunContext run)) {
            return Optional.empty();
        }
        Instant at = (Instant) event.get(event.getSchema().getField("emittedAt").pos());
        String key = run.getRunId() + "#" + run.getAttempt();
        RunSummary known = runs.get(key);
        RunSummary next = step(event, known == null ? started(run, at) : known, at);
        if (known != null && (!next.finished() && (known.finished() || rank(next) < rank(known))
                || known.stage().equals(DEPLOY) && !next.stage().equals(DEPLOY))) {
            // Topics are read side by side, so a run's events can arrive out of pipeline order.
            next = known;
        }
        runs.put(key, next);
        return Optional.of(next);
    }

    /** The most recent runs first. */
    public List<RunSummary> recent(int limit) {
        return runs.values().stream().sorted(Comparator.comparing(RunSummary::triggeredAt).reversed())
                .limit(limit).toList();
    }

    /** Every attempt of a run, oldest first; {@code runId} may be a unique prefix. */
    public List<RunSummary> run(String runId) {
        return runs.values().stream().filter(r -> r.runId().startsWith(runId))
                .sorted(Comparator.comparing(RunSummary::attempt)).toList();
    }

    private static int rank(RunSummary r) {
        return List.of("TRIGGER", "BUILD", "TEST", "DELIVER", DEPLOY).indexOf(r.stage());
    }

    private static RunSummary started(RunContext run, Instant at) {
        return new RunSummary(run.getRunId(), run.getAttempt(), run.getRepository().getFullName(),
                run.getCommit().getRef(),
                run.getRequest() == null ? null : ChangeRequests.nameWithTarget(run.getRequest()),
                run.getCommit().getSha(), "TRIGGER", "RUNNING", "received", run.getTriggeredAt(), at, List.of());
    }

    private static RunSummary step(SpecificRecord event, RunSummary r, Instant at) {
        Instant last = at.isAfter(r.lastEventAt()) ? at : r.lastEventAt();
        if (event instanceof CommitReceived) {
            return with(r, "TRIGGER", "RUNNING", "received", last);
        }
        if (event instanceof ImageBuilt built) {
            return with(r, "BUILD", "RUNNING", "built " + built.getImage().getDigest()
                    + (built.getCacheHit() ? " (cache hit)" : ""), last);
        }
        if (event instanceof TestsPassed tested) {
            int passed = tested.getSuites().stream().mapToInt(s -> s.getPassed()).sum();
            return r.ofRequest()
                    ? with(r, "TEST", "PASSED", passed + " checks passed; a request's run is never delivered", last)
                    : with(r, "TEST", "RUNNING", passed + " checks passed", last);
        }
        if (event instanceof ArtifactPublished published) {
            return with(r, "DELIVER", "PUBLISHED", published.getRegistry() + "/" + published.getRepository() + "@"
                    + published.getDigest() + " " + published.getTags(), last);
        }
        if (event instanceof Deployed deployed) {
            return deployed(deployed, r, last);
        }
        if (event instanceof BuildFailed failed) {
            String outcome = NOT_FAILURES.contains(failed.getReasonCode()) ? failed.getReasonCode() : "FAILED";
            String where = failed.getEnvironment() == null ? "" : failed.getEnvironment() + ": ";
            return with(r, failed.getStage().name(), outcome,
                    where + failed.getReasonCode() + ": " + failed.getMessage(), last);
        }
        return r;
    }

    /** A deployment of the run (DEPLOYED), or a rollback that restored it, which leaves its stage and duration. */
    private static RunSummary deployed(Deployed deployed, RunSummary r, Instant last) {
        List<String> environments = new ArrayList<>(r.environments());
        if (!environments.contains(deployed.getEnvironment())) {
            environments.add(deployed.getEnvironment());
        }
        String artifact = deployed.getRegistry() + "/" + deployed.getRepository() + "@" + deployed.getDigest()
                + (deployed.getUrl() == null ? "" : " → " + deployed.getUrl());
        if (deployed.getRollback()) {
            String detail = "restored in " + deployed.getEnvironment() + " by a rollback"
                    + (deployed.getRolledBackRunId() == null ? "" : " of run " + deployed.getRolledBackRunId())
                    + (deployed.getReason() == null ? "" : " (" + deployed.getReason() + ")") + ": " + artifact;
            boolean atDeploy = r.stage().equals(DEPLOY);
            return with(r, DEPLOY, atDeploy ? r.outcome() : DEPLOYED, detail, r.lastEventAt(), environments);
        }
        boolean failedThere = r.stage().equals(DEPLOY) && !r.outcome().equals(DEPLOYED);
        return with(r, DEPLOY, failedThere ? r.outcome() : DEPLOYED,
                "deployed to " + deployed.getEnvironment() + ": " + artifact, last, environments);
    }

    private static RunSummary with(RunSummary r, String stage, String outcome, String detail, Instant last) {
        return with(r, stage, outcome, detail, last, r.environments());
    }

    private static RunSummary with(RunSummary r, String stage, String outcome, String detail, Instant last,
                                   List<String> environments) {
        return new RunSummary(r.runId(), r.attempt(), r.repository(), r.ref(), r.request(), r.sha(), stage, outcome,
                detail, r.triggeredAt(), last, environments);
    }
}

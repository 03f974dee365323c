package io.slipway.dashboard.domain;

import java.util.List;
import java.util.Optional;

/** The read side of the dashboard's database: what the pages ask. Implementations are safe for concurrent use. */
public interface RunHistory {

    /**
     * At most {@code limit} runs matching {@code filter}, newest first (trigger time, then run id and attempt), after
     * {@code cursor} (a previous page's {@link RunPage#nextCursor()}, null for the first page).
     *
     * @throws IllegalArgumentException for a cursor this store did not make
     */
    RunPage runs(RunFilter filter, String cursor, int limit);

    /** One run attempt; {@code attempt} 0 means the newest attempt of the run. */
    Optional<RunDetail> run(String runId, int attempt);

    /** The attempts of a run, oldest first; empty for an unknown run. */
    List<Integer> attempts(String runId);

    /** The attempt's build log from chunk {@code from} on; an empty slice for an unknown run. */
    LogSlice log(String runId, int attempt, int from);

    /** The attempt's JUnit XML report as the tester sent it; empty when none arrived. */
    Optional<String> junitXml(String runId, int attempt);

    /** Every environment and repository the deployer has state for, by environment then repository. */
    List<EnvironmentView> environments();

    /** The newest {@code limit} deployments of a repository to an environment; either may be null for all. */
    List<Deployment> deployments(String environment, String repository, int limit);

    /** Every repository that has a run, sorted (the runs page's filter). */
    List<String> repositories();
}

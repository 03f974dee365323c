package io.slipway.dashboard.domain.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the metrics are computed from, as the read model holds it for one period: deployments (every environment),
 * failures (every stage), and the first time each run attempt reached each stage.
 */
public record Facts(List<DeploymentFact> deployments, List<FailureFact> failures, List<StageTimes> runs) {

    public Facts {
        deployments = List.copyOf(deployments);
        failures = List.copyOf(failures);
        runs = List.copyOf(runs);
    }

    /** One {@code Deployed} event; for a rollback, {@code rolledBackRunId} is the run taken out. */
    public record DeploymentFact(String environment, String repository, String runId, int attempt,
                                 Instant commitTime, Instant triggeredAt, Instant deployedAt,
                                 boolean rollback, String rolledBackRunId) {
    }

    /** One {@code BuildFailed} event; {@code environment} is set for a failure at stage DEPLOY. */
    public record FailureFact(String repository, String runId, int attempt, String stage, String reason,
                              String environment, Instant failedAt) {
    }

    /**
     * A run attempt and when its events of each kind (Avro record name: CommitReceived, ImageBuilt, TestsPassed,
     * ArtifactPublished, Deployed) first occurred; a kind the run never reached is absent.
     */
    public record StageTimes(String repository, String runId, int attempt, Map<String, Instant> firstOccurred) {

        public StageTimes {
            firstOccurred = Map.copyOf(firstOccurred);
        }
    }
}

package io.slipway.tools;

import io.slipway.events.DeploymentRecord;
import io.slipway.events.EnvironmentState;
import io.slipway.events.PendingPromotion;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What runs where, folded from deployer-service's compacted state topic: per environment and repository the latest
 * {@code EnvironmentState} wins and a tombstone removes it. Lists one line per environment and repository (digest,
 * commit, since when, URL) and one per promotion that waits there, saying what it waits for: an approval, with the
 * command that gives it, or the end of its soak time.
 */
public final class EnvironmentsView {

    private final Map<String, EnvironmentState> states = new TreeMap<>();

    /** Applies the record of {@code key} ({@code <environment>|<repository>}); null is a tombstone. */
    public void apply(String key, EnvironmentState state) {
        if (state == null) {
            states.remove(key);
        } else {
            states.put(key, state);
        }
    }

    /** The states held, by repository and then environment. */
    public List<EnvironmentState> states() {
        return states.values().stream().sorted(Comparator.comparing(EnvironmentState::getRepository)
                .thenComparing(EnvironmentState::getEnvironment)).toList();
    }

    /** Prints the table and the waiting promotions, as of {@code now} (a soak time that ended is no longer waited for). */
    public void print(PrintStream out, Instant now) {
        List<EnvironmentState> listed = states();
        if (listed.isEmpty()) {
            out.println("No deployments yet.");
            return;
        }
        String format = "%-14s %-28s %-19s %-33s %-20s %s%n";
        out.printf(format, "ENVIRONMENT", "REPOSITORY", "DIGEST", "COMMIT", "SINCE", "URL");
        for (EnvironmentState state : listed) {
            DeploymentRecord current = state.getCurrent();
            if (current == null) {
                out.printf(format, state.getEnvironment(), state.getRepository(), "-", "-", "-", "-");
            } else {
                out.printf(format, state.getEnvironment(), state.getRepository(), shortDigest(current.getDigest()),
                        commit(current), time(current.getDeployedAt()),
                        (current.getUrl() == null ? "-" : current.getUrl())
                                + (current.getRollback() ? "  (restored by a rollback)" : ""));
            }
        }
        for (EnvironmentState state : listed) {
            if (state.getPending() != null) {
                out.println(waiting(state.getEnvironment(), state.getPending(), now));
            }
        }
    }

    /** The line of a promotion waiting to go to {@code environment}. */
    static String waiting(String environment, PendingPromotion pending, Instant now) {
        DeploymentRecord artifact = pending.getArtifact();
        String runId = artifact.getRun().getRunId();
        String what = environment + " ← run " + runId + " (" + shortDigest(artifact.getDigest()) + ", "
                + commit(artifact) + ") from " + pending.getFromEnvironment();
        boolean soaking = pending.getNotBefore().isAfter(now);
        String soak = "soak until " + time(pending.getNotBefore());
        if (pending.getApprovalRequired() && pending.getApprovedBy() == null) {
            return what + " waits for approval" + (soaking ? " (and its " + soak + ")" : "") + ": ./slipway approve "
                    + runId + " " + environment;
        }
        String approved = pending.getApprovedBy() == null ? "" : ", approved by " + pending.getApprovedBy();
        return what + (soaking ? " waits: " + soak + approved : " is due now" + approved);
    }

    /** {@code sha256:} and the first 12 hex digits, or a VM image id as it is. */
    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon >= 0 && digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    private static String commit(DeploymentRecord record) {
        String sha = record.getRun().getCommit().getSha();
        String ref = record.getRun().getCommit().getRef().replaceFirst("^refs/(heads|tags)/", "");
        return (sha.length() > 12 ? sha.substring(0, 12) : sha) + " " + ref;
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}

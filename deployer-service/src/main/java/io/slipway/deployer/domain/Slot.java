package io.slipway.deployer.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What runs in one environment for one repository (the state topic's EnvironmentState): the current placement,
 * earlier ones newest first (the rollback targets, bounded), and the promotion waiting to go there.
 */
public record Slot(String environment, String repository, Placement current, List<Placement> history,
                   Promotion pending, Instant updatedAt) {

    public Slot {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** An environment where nothing of the repository ran yet. */
    public static Slot empty(String environment, String repository, Instant now) {
        return new Slot(environment, repository, null, List.of(), null, now);
    }

    /** {@code placement} now runs; the current one goes on top of the history, which keeps at most {@code max}. */
    Slot deployed(Placement placement, int max, Instant now) {
        List<Placement> earlier = new ArrayList<>();
        if (current != null) {
            earlier.add(current);
        }
        earlier.addAll(history);
        return new Slot(environment, repository, placement, bounded(earlier, max), pendingWithout(placement.run()), now);
    }

    /** {@code restored} runs again and is taken out of the history; {@code keepCurrent} puts the current on top. */
    Slot restored(Placement restored, boolean keepCurrent, int max, Instant now) {
        List<Placement> earlier = new ArrayList<>();
        if (keepCurrent && current != null) {
            earlier.add(current);
        }
        boolean removed = false;
        for (Placement p : history) {
            if (!removed && p.artifact().digest().equals(restored.artifact().digest())) {
                removed = true;
            } else {
                earlier.add(p);
            }
        }
        return new Slot(environment, repository, restored, bounded(earlier, max), pending, now);
    }

    Slot withPending(Promotion promotion, Instant now) {
        return new Slot(environment, repository, current, history, promotion, now);
    }

    /** The pending promotion unless it is of {@code run}, which is being deployed now. */
    Promotion pendingWithout(Run run) {
        return pending != null && pending.artifact().run().runId().equals(run.runId()) ? null : pending;
    }

    private static List<Placement> bounded(List<Placement> placements, int max) {
        return placements.size() <= max ? placements : placements.subList(0, max);
    }
}

package io.slipway.trigger.domain;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs already started, as recorded in the commits topic, so that a push starts exactly one run: a
 * redelivered webhook (same delivery id) and the same push under another delivery id (same repository, ref and
 * sha, hence the same run id) are duplicates; only a manual re-run starts another attempt of a known run.
 * It is fed from the commits topic (the single source of truth, so it survives restarts) and, synchronously,
 * by the partition owner right after it emitted a run, so that owner never admits the same push twice.
 */
public final class RunLedger {

    /** A run and the push that started its latest attempt. */
    public record Entry(String runId, int attempt, Push push) {
    }

    /** The ledger's answer for a push. */
    public sealed interface Verdict {
        /** Start the run with this attempt number. */
        record NewRun(int attempt) implements Verdict {
        }

        /** The push already started this run. */
        record Duplicate(String runId, String reason) implements Verdict {
        }
    }

    private final Map<String, Entry> runs = new ConcurrentHashMap<>();
    private final Map<String, String> deliveries = new ConcurrentHashMap<>();
    private final Map<String, String> latestByRef = new ConcurrentHashMap<>();

    /** Records a run that was started (read back from the topic, or just emitted); keeps the highest attempt. */
    public void record(String runId, int attempt, Push push) {
        runs.merge(runId, new Entry(runId, attempt, push), (old, now) -> now.attempt() >= old.attempt() ? now : old);
        if (push.deliveryId() != null) {
            deliveries.put(deliveryKey(push), runId);
        }
        latestByRef.put(refKey(push.repository(), push.ref()), runId);
    }

    /** Decides whether a push starts a run; a manual request always does, as the next attempt. */
    public Verdict decide(String runId, Push push, boolean manual) {
        Entry known = runs.get(runId);
        if (manual) {
            return new Verdict.NewRun(known == null ? 1 : known.attempt() + 1);
        }
        if (push.deliveryId() != null && deliveries.containsKey(deliveryKey(push))) {
            return new Verdict.Duplicate(deliveries.get(deliveryKey(push)),
                    "delivery " + push.deliveryId() + " was already received");
        }
        if (known != null) {
            return new Verdict.Duplicate(runId, "commit " + push.sha() + " on " + push.ref()
                    + " already started run " + runId);
        }
        return new Verdict.NewRun(1);
    }

    public Optional<Entry> run(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** The latest run started for a repository's ref, used to resolve a manual run that names no sha. */
    public Optional<Entry> latest(String repository, String ref) {
        return Optional.ofNullable(latestByRef.get(refKey(repository, ref))).map(runs::get);
    }

    /** Any run of the repository, used to learn its clone URL for a manual run. */
    public Optional<Entry> anyRunOf(String repository) {
        return runs.values().stream().filter(e -> e.push().repository().equals(repository)).findAny();
    }

    public int size() {
        return runs.size();
    }

    private static String deliveryKey(Push push) {
        return push.source() + "\u0000" + push.deliveryId();
    }

    private static String refKey(String repository, String ref) {
        return repository + "\u0000" + ref;
    }
}

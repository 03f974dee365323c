package io.slipway.trigger.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs already started, as recorded in the commits topic, so that a push starts exactly one run: a
 * redelivered webhook (same delivery id) and the same push under another delivery id (same repository, ref and
 * sha, hence the same run id) are duplicates; only a manual re-run starts another attempt of a known run.
 * It is fed from the commits topic (the single source of truth, so it survives restarts) and, synchronously,
 * by the partition owner right after it emitted a run, so that owner never admits the same push twice.
 * <p>
 * It also orders a repository's runs as they were accepted: each new run gets an accepted sequence above every
 * sequence the repository had (and never below the acceptance time in milliseconds, so the order survives runs
 * that aged out of the topic and roughly agrees across repositories); a manual re-run keeps the sequence of the
 * run it re-runs, so it never outranks a push accepted after that run.
 */
public final class RunLedger {

    /** A run, the push that started its latest attempt, and the sequence the run was accepted with. */
    public record Entry(String runId, int attempt, Push push, long sequence) {
    }

    /** The ledger's answer for a push. */
    public sealed interface Verdict {
        /** Start the run with this attempt number and accepted sequence. */
        record NewRun(int attempt, long sequence) implements Verdict {
        }

        /** The push already started this run. */
        record Duplicate(String runId, String reason) implements Verdict {
        }
    }

    private final Map<String, Entry> runs = new ConcurrentHashMap<>();
    private final Map<String, String> deliveries = new ConcurrentHashMap<>();
    private final Map<String, String> latestByRef = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSequence = new ConcurrentHashMap<>();

    /**
     * Records a run that was started (read back from the topic, or just emitted); keeps the highest attempt and
     * the repository's highest sequence.
     */
    public void record(String runId, int attempt, Push push, long sequence) {
        runs.merge(runId, new Entry(runId, attempt, push, sequence),
                (old, now) -> now.attempt() >= old.attempt() ? now : old);
        lastSequence.merge(push.repository(), sequence, Math::max);
        if (push.deliveryId() != null) {
            deliveries.put(deliveryKey(push), runId);
        }
        latestByRef.put(refKey(push.repository(), push.ref()), runId);
    }

    /**
     * Decides whether a push accepted at {@code acceptedAt} starts a run; a manual request always does, as the next
     * attempt with the sequence of the run it repeats (a fresh one for a commit never run before).
     */
    public Verdict decide(String runId, Push push, boolean manual, Instant acceptedAt) {
        Entry known = runs.get(runId);
        if (manual && known != null) {
            return new Verdict.NewRun(known.attempt() + 1, known.sequence());
        }
        if (manual) {
            return new Verdict.NewRun(1, nextSequence(push.repository(), acceptedAt));
        }
        if (push.deliveryId() != null && deliveries.containsKey(deliveryKey(push))) {
            return new Verdict.Duplicate(deliveries.get(deliveryKey(push)),
                    "delivery " + push.deliveryId() + " was already received");
        }
        if (known != null) {
            return new Verdict.Duplicate(runId, "commit " + push.sha() + " on " + push.ref()
                    + " already started run " + runId);
        }
        return new Verdict.NewRun(1, nextSequence(push.repository(), acceptedAt));
    }

    private long nextSequence(String repository, Instant acceptedAt) {
        return Math.max(lastSequence.getOrDefault(repository, 0L) + 1, acceptedAt.toEpochMilli());
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

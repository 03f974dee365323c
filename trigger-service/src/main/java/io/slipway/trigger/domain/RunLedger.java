package io.slipway.trigger.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>
 * Its memory is bounded by the window of {@link Limits}: a run whose latest attempt was triggered longer than the
 * window ago is forgotten with its deliveries; a push of a forgotten run is then decided as a push never seen, and a
 * manual re-run of it starts at attempt 1, exactly as after a restart once the run left the topic. A run within the
 * window is never forgotten, since a re-run that came back as attempt 1 would repeat an attempt the deliverer already
 * answered; more runs than {@link Limits#maxRuns()} within the window are kept and logged as a warning.
 * <p>
 * The owner emits its runs in a Kafka transaction that may still be aborted, so what it records as emitted
 * ({@link #recordEmitted}) is tagged with that transaction (as the ledger's transaction source names it) and stays
 * revocable until the commits topic gives the run back ({@link #record} of the same attempt):
 * {@link #forgetEmittedIn} undoes the runs of one aborted transaction, and keeps those of earlier, committed ones
 * that the topic has not given back yet.
 */
public final class RunLedger {

    /**
     * How much the ledger holds: runs triggered within {@code window}; {@code maxRuns} is the count above which it
     * warns (once each time it is crossed), never a reason to forget a run of the window. The window must outlast the
     * deliverer's outcome window by the {@link #PIPELINE_MARGIN} ({@link #requireOutlasting}), so that a run the
     * ledger has forgotten, whose re-run is attempt 1 again, is forgotten by the deliverer too.
     */
    public record Limits(Duration window, int maxRuns) {
        /** Eight days (the deliverer's default outcome window of seven days and the margin), fifty thousand runs. */
        public static final Limits DEFAULT = new Limits(Duration.ofDays(8), 50_000);
        /**
         * Time allowed between a run's trigger and the deliverer recording its outcome (builds, suites and retries are
         * bounded well below it), plus the hour the deliverer may take to delete an outcome past its window.
         */
        public static final Duration PIPELINE_MARGIN = Duration.ofDays(1);

        public Limits {
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("the run ledger window must be positive, not " + window);
            }
            if (maxRuns < 1) {
                throw new IllegalArgumentException("the run ledger must hold at least one run, not " + maxRuns);
            }
        }

        /**
         * Refuses a window that ends before the deliverer forgets a run's outcome: the window must be at least
         * {@code outcomeWindow} plus {@link #PIPELINE_MARGIN}.
         */
        public void requireOutlasting(Duration outcomeWindow) {
            Duration needed = outcomeWindow.plus(PIPELINE_MARGIN);
            if (window.compareTo(needed) < 0) {
                throw new IllegalArgumentException("the run ledger window (" + window + ") must be at least the"
                        + " deliverer's outcome window (" + outcomeWindow + ") plus " + PIPELINE_MARGIN + ", i.e. "
                        + needed + ": a re-run of a run the trigger forgot starts at attempt 1, which the deliverer"
                        + " would still answer as already delivered");
            }
        }
    }

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

    /** A held run: when its latest attempt was triggered and the delivery keys that name it. */
    private record Held(Entry entry, Instant triggeredAt, Set<String> deliveries) {
    }

    /** Per repository: how many of its runs are held, and the highest sequence it was given. */
    private record Repository(int runs, long lastSequence) {
    }

    /**
     * What the ledger held for the keys a run emitted by the owner changed, before it changed them: the run, its
     * delivery key's run, its ref's latest run and its repository. Every key is the run's repository's, so the topic
     * (keyed by repository) gives such runs back in the order they were emitted.
     */
    private record Undo(long transaction, String runId, int attempt, long sequence, String repository, Held run,
                        String deliveryKey, String deliveryRun, String refKey, String latestRun,
                        Repository repositoryBefore) {
    }

    /** What the transaction source answers outside a transaction. */
    public static final long NO_TRANSACTION = 0;

    private static final Logger LOG = LoggerFactory.getLogger(RunLedger.class);

    private final Limits limits;
    private final Clock clock;
    private final LongSupplier transaction;
    /** In the order runs were (re-)triggered, oldest first; every field is guarded by {@code this}. */
    private final LinkedHashMap<String, Held> runs = new LinkedHashMap<>();
    private final Map<String, String> deliveries = new HashMap<>();
    private final Map<String, String> latestByRef = new HashMap<>();
    private final Map<String, Repository> repositories = new HashMap<>();
    /** Runs emitted by the owner and not read back from the topic yet, oldest first. */
    private final List<Undo> unconfirmed = new ArrayList<>();
    private long forgotten;
    private boolean aboveMaximum;

    /** A ledger with the {@link Limits#DEFAULT default limits}, aging runs by the system clock. */
    public RunLedger() {
        this(Limits.DEFAULT, Clock.systemUTC());
    }

    /** A ledger whose emitted runs belong to no transaction: none of them is ever revoked. */
    public RunLedger(Limits limits, Clock clock) {
        this(limits, clock, () -> NO_TRANSACTION);
    }

    /**
     * @param transaction names the transaction the owner emits runs in at the moment of the call ({@link #recordEmitted}
     *                    tags each run with it), or {@link #NO_TRANSACTION} outside one
     */
    public RunLedger(Limits limits, Clock clock, LongSupplier transaction) {
        this.limits = limits;
        this.clock = clock;
        this.transaction = transaction;
    }

    /**
     * Records a run read back from the topic (it was committed) with the time its attempt was triggered; keeps the
     * highest attempt and the repository's highest sequence. A run triggered longer than the window ago is not held.
     * A run recorded as emitted by this owner is no longer revocable once read back.
     */
    public synchronized void record(String runId, int attempt, Push push, long sequence, Instant triggeredAt) {
        apply(runId, attempt, push, sequence, triggeredAt);
        confirm(runId, attempt, sequence, push.repository());
    }

    private void apply(String runId, int attempt, Push push, long sequence, Instant triggeredAt) {
        Instant cutoff = clock.instant().minus(limits.window());
        if (triggeredAt.isBefore(cutoff)) {
            forgotten++;
            return;
        }
        Held old = runs.remove(runId);
        Set<String> keys = old == null ? new HashSet<>() : old.deliveries();
        if (push.deliveryId() != null) {
            deliveries.put(deliveryKey(push), runId);
            keys.add(deliveryKey(push));
        }
        Entry entry = old != null && old.entry().attempt() > attempt ? old.entry()
                : new Entry(runId, attempt, push, sequence);
        Instant latest = old != null && old.triggeredAt().isAfter(triggeredAt) ? old.triggeredAt() : triggeredAt;
        runs.put(runId, new Held(entry, latest, keys));
        Repository known = repositories.get(push.repository());
        repositories.put(push.repository(), new Repository((known == null ? 0 : known.runs()) + (old == null ? 1 : 0),
                Math.max(known == null ? 0 : known.lastSequence(), sequence)));
        latestByRef.put(refKey(push.repository(), push.ref()), runId);
        evict(cutoff);
    }

    /**
     * Records a run the owner has just emitted in a transaction that may yet be aborted: as {@link #record}, and kept
     * revocable ({@link #forgetEmittedIn} that transaction) until the topic gives the run back.
     */
    public synchronized void recordEmitted(String runId, int attempt, Push push, long sequence, Instant triggeredAt) {
        Held run = runs.get(runId);
        String deliveryKey = push.deliveryId() == null ? null : deliveryKey(push);
        String refKey = refKey(push.repository(), push.ref());
        Undo undo = new Undo(transaction.getAsLong(), runId, attempt, sequence, push.repository(),
                run == null ? null : new Held(run.entry(), run.triggeredAt(), new HashSet<>(run.deliveries())),
                deliveryKey, deliveryKey == null ? null : deliveries.get(deliveryKey), refKey, latestByRef.get(refKey),
                repositories.get(push.repository()));
        unconfirmed.add(undo);
        apply(runId, attempt, push, sequence, triggeredAt);
    }

    /**
     * Undoes, newest first, the runs recorded by {@link #recordEmitted} in {@code aborted} that the topic has not given
     * back; runs of other transactions stay (an earlier one committed, even if the topic has not given its runs back
     * yet). The aborted transaction's runs are the newest revocable ones, since the owner emits in one transaction at a
     * time. When the transaction's outcome was not learnt it may have committed after all, so the caller lets the
     * ledger catch up with the topic before deciding again.
     *
     * @return how many runs were undone
     */
    public synchronized int forgetEmittedIn(long aborted) {
        int undone = 0;
        ListIterator<Undo> newest = unconfirmed.listIterator(unconfirmed.size());
        while (newest.hasPrevious()) {
            Undo undo = newest.previous();
            if (undo.transaction() != aborted || aborted == NO_TRANSACTION) {
                continue;
            }
            newest.remove();
            undone++;
            restore(runs, undo.runId(), undo.run());
            if (undo.deliveryKey() != null) {
                restore(deliveries, undo.deliveryKey(), undo.deliveryRun());
            }
            restore(latestByRef, undo.refKey(), undo.latestRun());
            restore(repositories, undo.repository(), undo.repositoryBefore());
        }
        return undone;
    }

    /** How many runs recorded as emitted the topic has not given back yet. */
    public synchronized int unconfirmed() {
        return unconfirmed.size();
    }

    /** The topic gave this run back: it and every earlier run of its repository are committed. */
    private void confirm(String runId, int attempt, long sequence, String repository) {
        int last = -1;
        for (int i = 0; i < unconfirmed.size(); i++) {
            Undo undo = unconfirmed.get(i);
            if (undo.runId().equals(runId) && undo.attempt() == attempt && undo.sequence() == sequence) {
                last = i;
            }
        }
        for (int i = last; i >= 0; i--) {
            if (unconfirmed.get(i).repository().equals(repository)) {
                unconfirmed.remove(i);
            }
        }
    }

    private static <V> void restore(Map<String, V> map, String key, V before) {
        if (before == null) {
            map.remove(key);
        } else {
            map.put(key, before);
        }
    }

    /**
     * Decides whether a push accepted at {@code acceptedAt} starts a run; a manual request (or another request for a
     * new attempt, such as a reopened pull request) does unless its delivery was already received, as the next attempt
     * with the sequence of the run it repeats (a fresh one for a commit never run before). A new attempt of a pull or
     * merge request's run gets a fresh sequence too: it must rank after the close it follows (a reopen) or any state
     * of its request, or builder and tester would drop it as stale; a request's run is never delivered, so it
     * outranks no push.
     */
    public synchronized Verdict decide(String runId, Push push, boolean manual, Instant acceptedAt) {
        evict(clock.instant().minus(limits.window()));
        Held known = runs.get(runId);
        String byDelivery = push.deliveryId() == null ? null : deliveries.get(deliveryKey(push));
        if (byDelivery != null) {
            return new Verdict.Duplicate(byDelivery, "delivery " + push.deliveryId() + " was already received");
        }
        if (manual && known != null) {
            return new Verdict.NewRun(known.entry().attempt() + 1, push.isRequest()
                    ? nextSequence(push.repository(), acceptedAt) : known.entry().sequence());
        }
        if (manual) {
            return new Verdict.NewRun(1, nextSequence(push.repository(), acceptedAt));
        }
        if (known != null) {
            return new Verdict.Duplicate(runId, "commit " + push.sha() + " on " + push.ref()
                    + " already started run " + runId);
        }
        return new Verdict.NewRun(1, nextSequence(push.repository(), acceptedAt));
    }

    private long nextSequence(String repository, Instant acceptedAt) {
        Repository known = repositories.get(repository);
        return Math.max((known == null ? 0L : known.lastSequence()) + 1, acceptedAt.toEpochMilli());
    }

    public synchronized Optional<Entry> run(String runId) {
        return Optional.ofNullable(runs.get(runId)).map(Held::entry);
    }

    /** The latest run started for a repository's ref, used to resolve a manual run that names no sha. */
    public synchronized Optional<Entry> latest(String repository, String ref) {
        return Optional.ofNullable(latestByRef.get(refKey(repository, ref))).map(runs::get).map(Held::entry);
    }

    /** Any run of the repository, used to learn its clone URL for a manual run. */
    public synchronized Optional<Entry> anyRunOf(String repository) {
        return runs.values().stream().map(Held::entry).filter(e -> e.push().repository().equals(repository))
                .findAny();
    }

    /** How many runs are held. */
    public synchronized int size() {
        return runs.size();
    }

    /** How many runs were forgotten (or not taken in) because they were older than the window. */
    public synchronized long forgotten() {
        return forgotten;
    }

    /**
     * Forgets, oldest first, the runs triggered before {@code cutoff}, and warns once when the runs of the window
     * alone are more than the maximum.
     */
    private void evict(Instant cutoff) {
        Iterator<Held> oldest = runs.values().iterator();
        while (oldest.hasNext()) {
            Held held = oldest.next();
            if (!held.triggeredAt().isBefore(cutoff)) {
                break;
            }
            oldest.remove();
            forget(held);
        }
        if (runs.size() > limits.maxRuns() && !aboveMaximum) {
            LOG.warn("The run ledger holds {} runs triggered within {}, more than the {} expected; it keeps them all,"
                    + " since forgetting a run of the window would let its re-run repeat an attempt (raise"
                    + " SLIPWAY_TRIGGER_LEDGER_MAX_RUNS if this load is normal)", runs.size(), limits.window(),
                    limits.maxRuns());
        }
        aboveMaximum = runs.size() > limits.maxRuns();
    }

    private void forget(Held held) {
        forgotten++;
        Entry entry = held.entry();
        held.deliveries().forEach(key -> deliveries.remove(key, entry.runId()));
        latestByRef.remove(refKey(entry.push().repository(), entry.push().ref()), entry.runId());
        Repository repository = repositories.get(entry.push().repository());
        if (repository.runs() <= 1) {
            // Its next run starts from the acceptance time again, which is above every sequence it had.
            repositories.remove(entry.push().repository());
        } else {
            repositories.put(entry.push().repository(), new Repository(repository.runs() - 1, repository.lastSequence()));
        }
    }

    private static String deliveryKey(Push push) {
        return push.source() + "\u0000" + push.deliveryId();
    }

    private static String refKey(String repository, String ref) {
        return repository + "\u0000" + ref;
    }
}

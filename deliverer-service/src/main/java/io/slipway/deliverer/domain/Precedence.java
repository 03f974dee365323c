package io.slipway.deliverer.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * Which of two runs may hold a moving tag: the higher version first (semantic-version tags only; zero otherwise),
 * then the later accepted sequence (the order in which the trigger accepted the pushes, carried in the run; a
 * re-run keeps its run's), then the higher attempt. Commit and author dates, which a pusher chooses, decide nothing,
 * except between two runs from before the sequence existed ({@code sequence} 0, which ranks below any sequence):
 * those keep the old order, the later commit, then the later trigger. A tag moves only to a claim that is not lower
 * than its holder's, so a run that finishes late never moves a tag backwards.
 */
public record Precedence(int major, int minor, int patch, long sequence, Instant committedAt, Instant triggeredAt,
                         int attempt) implements Comparable<Precedence> {

    /** The sequence of a run announced before runs carried one. */
    public static final long UNSEQUENCED = 0;

    private static final Comparator<Precedence> VERSION_AND_SEQUENCE = Comparator.comparingInt(Precedence::major)
            .thenComparingInt(Precedence::minor).thenComparingInt(Precedence::patch)
            .thenComparingLong(Precedence::sequence);
    private static final Comparator<Precedence> UNSEQUENCED_ORDER = Comparator.comparing(Precedence::committedAt)
            .thenComparing(Precedence::triggeredAt);

    /** The precedence of a run's sha, branch and {@code latest} tags. */
    public static Precedence of(Delivery delivery) {
        return new Precedence(0, 0, 0, delivery.sequence(), delivery.committedAt(), delivery.triggeredAt(),
                delivery.attempt());
    }

    /** The same run's precedence for a tag that names a version. */
    public Precedence withVersion(int major, int minor, int patch) {
        return new Precedence(major, minor, patch, sequence, committedAt, triggeredAt, attempt);
    }

    @Override
    public int compareTo(Precedence other) {
        int order = VERSION_AND_SEQUENCE.compare(this, other);
        if (order == 0 && sequence == UNSEQUENCED) {
            order = UNSEQUENCED_ORDER.compare(this, other);
        }
        return order != 0 ? order : Integer.compare(attempt, other.attempt);
    }
}

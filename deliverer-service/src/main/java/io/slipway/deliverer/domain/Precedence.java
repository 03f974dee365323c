package io.slipway.deliverer.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * Which of two runs may hold a moving tag: the higher version first (semantic-version tags only; zero otherwise),
 * then the later commit, then the later trigger, then the higher attempt. A tag moves only to a claim that is not
 * lower than its holder's, so a run that finishes late never moves a tag backwards.
 */
public record Precedence(int major, int minor, int patch, Instant committedAt, Instant triggeredAt, int attempt)
        implements Comparable<Precedence> {

    private static final Comparator<Precedence> ORDER = Comparator.comparingInt(Precedence::major)
            .thenComparingInt(Precedence::minor).thenComparingInt(Precedence::patch)
            .thenComparing(Precedence::committedAt).thenComparing(Precedence::triggeredAt)
            .thenComparingInt(Precedence::attempt);

    /** The precedence of a run's sha, branch and {@code latest} tags. */
    public static Precedence of(Delivery delivery) {
        return new Precedence(0, 0, 0, delivery.committedAt(), delivery.triggeredAt(), delivery.attempt());
    }

    /** The same run's precedence for a tag that names a version. */
    public Precedence withVersion(int major, int minor, int patch) {
        return new Precedence(major, minor, patch, committedAt, triggeredAt, attempt);
    }

    @Override
    public int compareTo(Precedence other) {
        return ORDER.compare(this, other);
    }
}

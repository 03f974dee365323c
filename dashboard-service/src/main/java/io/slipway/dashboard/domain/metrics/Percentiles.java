package io.slipway.dashboard.domain.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one percentile rule of the metrics: nearest rank. The p-th percentile of n sorted values is the value at rank
 * ⌈p/100 × n⌉ (1-based), so it is always one of the measured values: the median of 1h, 2h, 3h, 10h is 2h (rank 2),
 * their p95 is 10h (rank 4). No values, no percentile.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** The {@code percent}-th percentile (0 &lt; percent ≤ 100) of {@code values} by nearest rank; empty for none. */
    public static Optional<Duration> of(Collection<Duration> values, int percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], not " + percent);
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return Optional.of(sorted.get(Math.max(rank, 1) - 1));
    }

    /** The median and the 95th percentile of {@code values}. */
    public static Spread spread(Collection<Duration> values) {
        return new Spread(values.size(), of(values, 50).orElse(null), of(values, 95).orElse(null));
    }

    /** How many values were measured, their median and 95th percentile (both null when none were). */
    public record Spread(int count, Duration median, Duration p95) {
    }
}

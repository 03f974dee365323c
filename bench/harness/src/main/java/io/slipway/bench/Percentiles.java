package io.slipway.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** Percentiles of measured samples (nearest rank) and of Prometheus cumulative histograms (interpolated). */
final class Percentiles {

    private Percentiles() {
    }

    /** The nearest-rank {@code q}-quantile of {@code samples} (0 &lt; q ≤ 1); NaN when there are none. */
    static double of(List<? extends Number> samples, double q) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples.stream().map(Number::doubleValue).toList());
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /**
     * The {@code q}-quantile of a cumulative histogram ({@code le} upper bound → observations ≤ it, including
     * {@code +Inf}), interpolated linearly inside the bucket it falls in, as Prometheus' {@code histogram_quantile}
     * does; NaN when the histogram is empty.
     */
    static double ofHistogram(NavigableMap<Double, Double> cumulative, double q) {
        double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double target = q * total;
        double lowerBound = 0;
        double below = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= target) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = bucket.getValue() - below;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (target - below) / inBucket;
            }
            lowerBound = bucket.getKey();
            below = bucket.getValue();
        }
        return lowerBound;
    }
}

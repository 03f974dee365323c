package io.slipway.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HopHistogramsTest {

    /** As Micrometer's Prometheus registry writes a {@code slipway.hop} timer (see RecordPipelineTest). */
    private static String exposition(int upTo2ms, int upTo4ms, int upTo8ms, int beyond) {
        int c1 = upTo2ms;
        int c2 = c1 + upTo4ms;
        int c3 = c2 + upTo8ms;
        int all = c3 + beyond;
        return String.join("\n",
                "# HELP slipway_hop_seconds Producer timestamp of a record to this stage taking it",
                "# TYPE slipway_hop_seconds histogram",
                "slipway_hop_seconds_bucket{topic=\"slipway.commits\",le=\"0.002\"} " + c1,
                "slipway_hop_seconds_bucket{topic=\"slipway.commits\",le=\"0.004\"} " + c2,
                "slipway_hop_seconds_bucket{topic=\"slipway.commits\",le=\"0.008\"} " + c3,
                "slipway_hop_seconds_bucket{topic=\"slipway.commits\",le=\"+Inf\"} " + all,
                "slipway_hop_seconds_count{topic=\"slipway.commits\"} " + all,
                "slipway_hop_seconds_sum{topic=\"slipway.commits\"} 0.5",
                "slipway_records_total{outcome=\"processed\",topic=\"slipway.commits\"} " + all, "");
    }

    @Test
    void aPhaseIsTheDifferenceOfTwoScrapesAndItsQuantilesAreInterpolatedInsideTheBucket() {
        HopHistograms before = HopHistograms.parse(exposition(500, 0, 0, 0));
        HopHistograms after = HopHistograms.parse(exposition(500 + 50, 40, 10, 0));

        HopHistograms phase = after.since(before);

        assertThat(phase.count("slipway.commits")).isEqualTo(100);
        // The 50th of 100 observations is the last of the 50 in (0, 2 ms].
        assertThat(phase.quantileMillis("slipway.commits", 0.5)).isCloseTo(2.0, within(1e-9));
        // The 99th lies in (4, 8 ms], 9 of its 10 observations in: 4 + 4 * 9/10.
        assertThat(phase.quantileMillis("slipway.commits", 0.99)).isCloseTo(7.6, within(1e-9));
        assertThat(phase.count("slipway.images")).isZero();
        assertThat(phase.quantileMillis("slipway.images", 0.5)).isNaN();
    }

    @Test
    void instancesOfOneServiceAreSummedAndAQuantileBeyondTheLastBoundIsItsLowerBound() {
        HopHistograms two = HopHistograms.parse(exposition(1, 0, 0, 0) + exposition(0, 0, 0, 3));

        assertThat(two.count("slipway.commits")).isEqualTo(4);
        assertThat(two.quantileMillis("slipway.commits", 0.99)).isEqualTo(8.0);
    }

    @Test
    void nearestRankPercentilesOfSamples() {
        List<Integer> samples = List.of(5, 1, 4, 2, 3, 10, 9, 8, 7, 6);

        assertThat(Percentiles.of(samples, 0.5)).isEqualTo(5.0);
        assertThat(Percentiles.of(samples, 0.99)).isEqualTo(10.0);
        assertThat(Percentiles.of(samples, 0.1)).isEqualTo(1.0);
        assertThat(Percentiles.of(List.<Integer>of(), 0.5)).isNaN();
        assertThat(Percentiles.ofHistogram(new TreeMap<>(), 0.5)).isNaN();
    }
}

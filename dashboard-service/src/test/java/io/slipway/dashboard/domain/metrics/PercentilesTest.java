package io.slipway.dashboard.domain.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentilesTest {

    private static Duration hours(long hours) {
        return Duration.ofHours(hours);
    }

    @Test
    void nearestRankPicksAMeasuredValue() {
        // n = 4: median rank ⌈0.5 × 4⌉ = 2 → 2h (not the interpolated 2.5h); p95 rank ⌈0.95 × 4⌉ = 4 → 10h.
        List<Duration> values = List.of(hours(10), hours(1), hours(3), hours(2));

        assertThat(Percentiles.of(values, 50)).contains(hours(2));
        assertThat(Percentiles.of(values, 95)).contains(hours(10));
        assertThat(Percentiles.of(values, 25)).contains(hours(1));
    }

    @Test
    void oneValueIsEveryPercentile() {
        assertThat(Percentiles.spread(List.of(hours(3))))
                .isEqualTo(new Percentiles.Spread(1, hours(3), hours(3)));
    }

    @Test
    void noValuesHaveNoPercentile() {
        assertThat(Percentiles.of(List.of(), 50)).isEmpty();
        assertThat(Percentiles.spread(List.of())).isEqualTo(new Percentiles.Spread(0, null, null));
    }

    @Test
    void refusesAPercentileOutsideTheRange() {
        assertThatThrownBy(() -> Percentiles.of(List.of(hours(1)), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(List.of(hours(1)), 101)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.slipway.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaEosFloorTest {

    @Test
    void summarisesTheLatenciesWithFractionsAsKafkaFloorReadsThem() {
        List<Double> millis = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            millis.add(i + 0.25);
        }
        Collections.shuffle(millis);

        String summary = KafkaEosFloor.summary(millis);

        assertThat(summary).contains("Avg latency: 500.7500 ms")
                .contains("Percentiles: 50th = 500.250, 99th = 990.250, 99.9th = 999.250");
        assertThat(KafkaFloor.parse(summary)).isEqualTo(new KafkaFloor(500.75, 500.25, 990.25, 999.25));
    }

    @Test
    void takesTheNearestRankOfAFewLatencies() {
        KafkaFloor floor = KafkaFloor.parse(KafkaEosFloor.summary(List.of(31.5, 24.125, 27.0)));

        assertThat(floor.averageMillis()).isCloseTo(27.5417, org.assertj.core.data.Offset.offset(0.0001));
        assertThat(floor.p50Millis()).isEqualTo(27.0);
        assertThat(floor.p99Millis()).isEqualTo(31.5);
        assertThat(floor.p999Millis()).isEqualTo(31.5);
    }

    @Test
    void refusesToSummariseNoLatency() {
        assertThatThrownBy(() -> KafkaEosFloor.summary(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no message");
    }
}

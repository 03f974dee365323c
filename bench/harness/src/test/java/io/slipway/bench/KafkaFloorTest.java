package io.slipway.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaFloorTest {

    private static final String OUTPUT = String.join("\n",
            "0\t41.873216",
            "1000\t1.163112",
            "Avg latency: 1.2147 ms",
            "",
            "Percentiles: 50th = 1, 99th = 8, 99.9th = 13",
            "");

    @Test
    void readsTheAverageAndThePercentilesOfEndToEndLatencysOutput() {
        assertThat(KafkaFloor.parse(OUTPUT)).isEqualTo(new KafkaFloor(1.2147, 1, 8, 13));
    }

    @Test
    void givesALatencyAsAMultipleOfKafkasSameQuantile() {
        KafkaFloor floor = KafkaFloor.parse(OUTPUT);

        assertThat(floor.timesP50(3.1)).contains("3.1×");
        assertThat(floor.timesP99(26.1)).contains("3.3×");
    }

    @Test
    void givesNoMultipleOfAQuantileKafkaMeasuredAsZeroMilliseconds() {
        KafkaFloor floor = new KafkaFloor(0.6, 0, 2, 4);

        assertThat(floor.timesP50(3.1)).isEmpty();
        assertThat(floor.timesP99(3.1)).contains("1.6×");
    }

    @Test
    void refusesOutputWithoutFiguresShowingWhatItGot() {
        String failed = "Exception in thread \"main\" org.apache.kafka.common.errors.TopicAuthorizationException";

        assertThatThrownBy(() -> KafkaFloor.parse(failed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Percentiles")
                .hasMessageContaining("TopicAuthorizationException");
    }
}

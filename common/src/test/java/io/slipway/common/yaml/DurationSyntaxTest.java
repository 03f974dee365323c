package io.slipway.common.yaml;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationSyntaxTest {

    @Test
    void writesDurationsInTheSyntaxItReads() {
        assertThat(DurationSyntax.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(DurationSyntax.format(Duration.ofMillis(1_600))).isEqualTo("1600ms");
        assertThat(DurationSyntax.format(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(DurationSyntax.format(Duration.ofMillis(12_700))).isEqualTo("12s");
        assertThat(DurationSyntax.format(Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(DurationSyntax.format(Duration.ofMinutes(65))).isEqualTo("1h5m");
        for (String written : new String[]{"250ms", "1600ms", "3s", "2m30s", "1h5m"}) {
            assertThat(DurationSyntax.format(DurationSyntax.parse(written))).isEqualTo(written);
        }
    }
}

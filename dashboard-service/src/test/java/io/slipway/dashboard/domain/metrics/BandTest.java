package io.slipway.dashboard.domain.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BandTest {

    @Test
    void frequencyBandsFollowTheReport() {
        assertThat(Band.ofFrequency(3)).isEqualTo(Band.ELITE);
        assertThat(Band.ofFrequency(1)).isEqualTo(Band.ELITE);
        assertThat(Band.ofFrequency(1 / 7.0)).isEqualTo(Band.HIGH);
        assertThat(Band.ofFrequency(1 / 60.0)).isEqualTo(Band.MEDIUM);
        assertThat(Band.ofFrequency(0)).isEqualTo(Band.LOW);
    }

    @Test
    void leadTimeAndRestoreBandsFollowTheReport() {
        assertThat(Band.ofLeadTime(Duration.ofMinutes(59))).isEqualTo(Band.ELITE);
        assertThat(Band.ofLeadTime(Duration.ofDays(3))).isEqualTo(Band.HIGH);
        assertThat(Band.ofLeadTime(Duration.ofDays(30))).isEqualTo(Band.MEDIUM);
        assertThat(Band.ofLeadTime(Duration.ofDays(200))).isEqualTo(Band.LOW);
        assertThat(Band.ofRestore(Duration.ofMinutes(59))).isEqualTo(Band.ELITE);
        assertThat(Band.ofRestore(Duration.ofHours(5))).isEqualTo(Band.HIGH);
        assertThat(Band.ofRestore(Duration.ofDays(2))).isEqualTo(Band.MEDIUM);
        assertThat(Band.ofRestore(Duration.ofDays(8))).isEqualTo(Band.LOW);
    }

    @Test
    void failureRateBandsFollowTheReport() {
        assertThat(Band.ofFailureRate(0.15)).isEqualTo(Band.ELITE);
        assertThat(Band.ofFailureRate(0.2)).isEqualTo(Band.HIGH);
        assertThat(Band.ofFailureRate(0.5)).isEqualTo(Band.LOW);
    }
}

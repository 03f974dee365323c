package io.slipway.trigger;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SLIPWAY_TRIGGER_BIND sets the trigger's listening address alone; unset or blank it leaves the trigger to the rule of
 * every service (SLIPWAY_BIND, else 127.0.0.1, held by common's ManagementAccessTest and ExposureEndToEndTest).
 */
class TriggerBindTest {

    @Test
    void triggerBindSetsTheTriggersAddress() {
        assertThat(Application.bindAddress(Map.of(Application.TRIGGER_BIND, " 0.0.0.0 ", "SLIPWAY_BIND", "127.0.0.1")))
                .isEqualTo(Map.of("micronaut.server.host", "0.0.0.0"));
    }

    @Test
    void withoutItTheSharedRuleHolds() {
        assertThat(Application.bindAddress(Map.of())).isEmpty();
        assertThat(Application.bindAddress(Map.of(Application.TRIGGER_BIND, " ", "SLIPWAY_BIND", "0.0.0.0"))).isEmpty();
    }
}

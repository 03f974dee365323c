package io.slipway.common.messaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How an instance names itself in its stages' transactional ids when no instance id is configured. */
class StageLoopsInstanceIdTest {

    @Test
    void aConfiguredInstanceIdIsUsedAsItIs() {
        assertThat(StageLoops.instanceIdOf(" builder-service-2 ", "host", "8081")).isEqualTo("builder-service-2");
    }

    @Test
    void withoutOneTheHostAndTheConfiguredPortNameTheInstance() {
        assertThat(StageLoops.instanceIdOf("", "host", "8081")).isEqualTo("host:8081");
        assertThat(StageLoops.instanceIdOf(null, "host", "8081")).isEqualTo("host:8081");
    }

    @Test
    void aRandomPortGivesEachServiceItsOwnRandomSuffixNotMinusOne() {
        String first = StageLoops.instanceIdOf("", "host", "-1");
        String second = StageLoops.instanceIdOf("", "host", "-1");

        assertThat(first).startsWith("host:").doesNotEndWith(":-1").isNotEqualTo(second);
        assertThat(StageLoops.instanceIdOf("", "host", "0")).startsWith("host:").doesNotEndWith(":0");
        assertThat(StageLoops.instanceIdOf("", "host", "${port}")).startsWith("host:").doesNotContain("port");
    }
}

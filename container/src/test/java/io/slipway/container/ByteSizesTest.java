package io.slipway.container;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSizesTest {

    @Test
    void readsDockersUnitsAsPowersOf1024() {
        assertThat(ByteSizes.parse("512")).isEqualTo(512);
        assertThat(ByteSizes.parse("64k")).isEqualTo(64 * 1024);
        assertThat(ByteSizes.parse("256m")).isEqualTo(256L << 20);
        assertThat(ByteSizes.parse(" 2G ")).isEqualTo(2L << 30);
        assertThat(ByteSizes.parse("1gb")).isEqualTo(1L << 30);
        assertThat(ByteSizes.parse("1GiB")).isEqualTo(1L << 30);
    }

    @Test
    void refusesWhatIsNotASize() {
        for (String bad : new String[]{"", "m", "-1m", "1.5g", "12x", "1 000", "99999999999999999g"}) {
            assertThatThrownBy(() -> ByteSizes.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

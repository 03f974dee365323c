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
        assertThat(ByteSizes.parse("64kb")).isEqualTo(64 * 1024);
        assertThat(ByteSizes.parse("512 m")).isEqualTo(512L << 20);
        assertThat(ByteSizes.parse("100b")).isEqualTo(100);
    }

    @Test
    void readsEveryDocumentedDefaultOfTheBuilderAndTester() {
        assertThat(ByteSizes.parse("0")).isZero();
        assertThat(ByteSizes.parse("10g")).isEqualTo(10L << 30);
        assertThat(ByteSizes.parse("1g")).isEqualTo(1L << 30);
        assertThat(ByteSizes.parse("512m")).isEqualTo(512L << 20);
        assertThat(ByteSizes.parse("65536k")).isEqualTo(64L << 20);
        assertThat(ByteSizes.parse("1073741824")).isEqualTo(1L << 30);
    }

    @Test
    void refusesWhatIsNotASize() {
        for (String bad : new String[]{"", "m", "-1m", "+1m", "1.5g", "12x", "1 000", "1  m", "lots", "1kk",
                "99999999999999999g"}) {
            assertThatThrownBy(() -> ByteSizes.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> ByteSizes.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteSizes.parse("lots")).hasMessageContaining("512m or 1g");
    }
}

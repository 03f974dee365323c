package io.slipway.tester.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Memory limits are written as for {@code docker run --memory}. */
class TesterFactoryTest {

    @Test
    void readsDockerMemoryNotation() {
        assertThat(TesterFactory.bytes("512m")).isEqualTo(512L * 1024 * 1024);
        assertThat(TesterFactory.bytes("1G")).isEqualTo(1024L * 1024 * 1024);
        assertThat(TesterFactory.bytes("64kb")).isEqualTo(64L * 1024);
        assertThat(TesterFactory.bytes("1048576")).isEqualTo(1048576L);
        assertThatThrownBy(() -> TesterFactory.bytes("lots")).hasMessageContaining("512m or 1g");
    }
}

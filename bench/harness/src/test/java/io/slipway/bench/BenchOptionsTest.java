package io.slipway.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void readsNameValueOptionsKeepingEverythingAfterTheFirstEqualsSign() {
        BenchOptions options = BenchOptions.parse(new String[]{"--metrics=builder=http://127.0.0.1:1/prometheus",
                "--staging-port=39580"}, "usage");

        assertThat(options.required("metrics")).isEqualTo("builder=http://127.0.0.1:1/prometheus");
        assertThat(options.required("staging-port")).isEqualTo("39580");
        assertThat(options.getOrDefault("rate", "20")).isEqualTo("20");
    }

    @Test
    void aMissingOrBlankRequiredOptionIsRefusedByName() {
        BenchOptions options = BenchOptions.parse(new String[]{"--images="}, "usage");

        assertThatThrownBy(() -> options.required("images")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--images is required");
        assertThatThrownBy(() -> options.required("bootstrap")).hasMessage("--bootstrap is required");
    }

    @Test
    void writesTheReportToTheOutFileWhenOneIsGiven(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("report.md");

        BenchOptions.parse(new String[]{"--out=" + out}, "usage").publish("| a | b |\n");

        assertThat(Files.readString(out)).isEqualTo("| a | b |\n");
    }
}

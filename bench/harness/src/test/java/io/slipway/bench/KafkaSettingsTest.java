package io.slipway.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSettingsTest {

    @Test
    void takesEveryPropertyOfTheClientPropertiesFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("kafka-ops.properties"), String.join("\n",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"ops\" password=\"p=w:d\";", ""));

        assertThat(KafkaSettings.of("127.0.0.1:29092", file))
                .containsEntry("bootstrap.servers", "127.0.0.1:29092")
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"ops\" password=\"p=w:d\";")
                .hasSize(4);
    }

    @Test
    void bootstrapServersGivenOnTheCommandLineWinOverTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=kafka.example.org:9093\n");

        assertThat(KafkaSettings.of("127.0.0.1:29092", file)).containsEntry("bootstrap.servers", "127.0.0.1:29092");
    }

    @Test
    void withoutAFileConnectsToTheBootstrapServersAlone() {
        assertThat(KafkaSettings.of("127.0.0.1:29092", null)).containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void namesTheFileItCannotRead(@TempDir Path dir) {
        Path missing = dir.resolve("kafka-ops.properties");

        assertThatThrownBy(() -> KafkaSettings.of("127.0.0.1:29092", missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }
}

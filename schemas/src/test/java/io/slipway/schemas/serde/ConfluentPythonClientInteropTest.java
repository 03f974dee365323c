package io.slipway.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.schemas.SampleEvents;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Slipway writes, Confluent's own Python client (Debian {@code python3-confluent-kafka} with {@code python3-avro})
 * reads, and what that client writes, Slipway reads: an independent check of the wire format and the registry API.
 * Fails, saying what to install, when those packages are missing.
 */
class ConfluentPythonClientInteropTest {

    private static final List<String> PYTHONS = List.of("/usr/bin/python3", "python3");

    @Test
    void confluentPythonClientReadsSlipwayEventsAndSlipwayReadsWhatItWrites(@TempDir Path temp) throws Exception {
        String python = pythonWithConfluentClient();
        assertThat(python).as("Debian's python3-confluent-kafka and python3-avro must be installed for /usr/bin/python3"
                + " (./slipway test installs them)").isNotNull();
        Path script = Path.of(getClass().getResource("/interop/confluent_python_roundtrip.py").toURI());

        try (InMemorySchemaRegistry registry = InMemorySchemaRegistry.start()) {
            AvroEventSerializer serializer = new AvroEventSerializer(registry.newClient());
            StringBuilder input = new StringBuilder();
            for (int i = 0; i < Topics.PIPELINE.size(); i++) {
                String topic = Topics.PIPELINE.get(i).topic();
                input.append(topic).append(' ')
                        .append(HexFormat.of().formatHex(serializer.serialize(topic, SampleEvents.all().get(i)))).append('\n');
            }

            List<String> output = run(temp, input.toString(), python, script.toString(), registry.url().toString());

            assertThat(output).hasSize(2 * Topics.PIPELINE.size());
            AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < Topics.PIPELINE.size(); i++) {
                SpecificRecord original = SampleEvents.all().get(i);
                JsonNode readByPython = json.readTree(output.get(2 * i));
                assertThat(readByPython.get("eventId").asText()).isEqualTo(original.get(original.getSchema().getField("eventId").pos()));
                assertThat(readByPython.at("/run/runId").asText()).isEqualTo(SampleEvents.run().getRunId());
                assertThat(readByPython.at("/run/commit/message").asText()).isEqualTo(SampleEvents.run().getCommit().getMessage());
                assertThat(readByPython.at("/run/triggeredAt").asText()).startsWith("2025-03-14 09:27:01.250");

                byte[] writtenByPython = HexFormat.of().parseHex(output.get(2 * i + 1));
                assertThat(writtenByPython[0]).isZero();
                assertThat(deserializer.deserialize(Topics.PIPELINE.get(i).topic(), writtenByPython)).isEqualTo(original);
            }
        }
    }

    private static List<String> run(Path temp, String stdin, String... command) throws IOException, InterruptedException {
        Path stderr = temp.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited && process.exitValue() == 0)
                .as("%s exited %s; stderr:%n%s", String.join(" ", command), exited ? process.exitValue() : "late",
                        Files.readString(stderr)).isTrue();
        return stdout.lines().toList();
    }

    private static String pythonWithConfluentClient() {
        for (String python : PYTHONS) {
            try {
                Process probe = new ProcessBuilder(python, "-c", "import avro, confluent_kafka.avro")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return python;
                }
                probe.destroyForcibly();
            } catch (IOException e) {
                // Not installed under this name; try the next.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}

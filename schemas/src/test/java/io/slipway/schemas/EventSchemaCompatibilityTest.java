package io.slipway.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.events.RunContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * The BACKWARD compatibility guard: every schema in {@code src/main/avro} must read data written with its last
 * released version, kept in {@code src/test/resources/released}. After a release, copy the current .avsc files there.
 */
class EventSchemaCompatibilityTest {

    /** Named types the other schemas refer to, in the order they must be parsed (as in the avro-maven-plugin imports). */
    static final List<String> SHARED_TYPES = List.of(
            "Repository", "Commit", "ChangeRequest", "RunContext", "ArtifactKind", "Stage", "ImageReference", "SuiteResult", "SuiteFile",
            "DeployTargetKind", "SmokeCheck", "DeployIntent", "DeploymentRecord", "PendingPromotion");

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("src/test/resources/released");

    @Test
    void everyCurrentSchemaReadsDataWrittenWithItsReleasedVersion() {
        Map<String, Schema> current = parseAll(CURRENT);
        Map<String, Schema> released = parseAll(RELEASED);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Schema> entry : current.entrySet()) {
            Schema schema = entry.getValue();
            Schema previous = released.get(entry.getKey());
            if (previous == null || (schema.getType() != Schema.Type.RECORD && schema.getType() != Schema.Type.ENUM)) {
                continue;
            }
            checked++;
            List<String> incompatibilities = backwardIncompatibilities(schema, previous);
            if (!incompatibilities.isEmpty()) {
                problems.add(entry.getKey() + " cannot read data written with its released version:\n    "
                        + String.join("\n    ", incompatibilities));
            }
        }
        if (!problems.isEmpty()) {
            fail("Schema changes must be BACKWARD compatible (give new fields a default; never remove or rename a field "
                    + "without a default or an enum symbol without an enum default):\n" + String.join("\n", problems));
        }
        assertThat(checked).as("schemas checked (each released one; new schemas have nothing to be held to)")
                .isEqualTo(released.size());
    }

    @Test
    void noReleasedSchemaHasBeenRemoved() {
        assertThat(parseAll(CURRENT).keySet())
                .as("a released schema that disappears breaks every consumer of its topic")
                .containsAll(parseAll(RELEASED).keySet());
    }

    @Test
    void theGuardReportsANewFieldWithoutDefaultAsIncompatible() throws IOException {
        Schema released = parseAll(RELEASED).get("io.slipway.events.CommitReceived");
        ObjectMapper json = new ObjectMapper();
        ObjectNode changed = (ObjectNode) json.readTree(released.toString());
        ((ArrayNode) changed.get("fields")).addObject().put("name", "priority").put("type", "int");
        Schema withRequiredField = new Schema.Parser().parse(json.writeValueAsString(changed));

        List<String> incompatibilities = backwardIncompatibilities(withRequiredField, released);

        assertThat(incompatibilities).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "priority", "/fields/");
    }

    @Test
    void theGuardAcceptsANewFieldWithDefault() throws IOException {
        Schema released = parseAll(RELEASED).get("io.slipway.events.CommitReceived");
        ObjectMapper json = new ObjectMapper();
        ObjectNode changed = (ObjectNode) json.readTree(released.toString());
        ObjectNode field = ((ArrayNode) changed.get("fields")).addObject().put("name", "priority");
        field.putArray("type").add("null").add("int");
        field.putNull("default");

        assertThat(backwardIncompatibilities(new Schema.Parser().parse(json.writeValueAsString(changed)), released)).isEmpty();
    }

    @Test
    void aRunWrittenBeforeTheAcceptedSequenceExistedReadsAsSequenceZero() throws IOException {
        Schema released = parseAll(RELEASED).get("io.slipway.events.RunContext");
        GenericData.Record old = new GenericData.Record(released);
        old.put("runId", "run-1");
        old.put("attempt", 2);
        old.put("repository", SpecificData.get().deepCopy(released.getField("repository").schema(),
                SampleEvents.run().getRepository()));
        old.put("commit", SpecificData.get().deepCopy(released.getField("commit").schema(),
                SampleEvents.run().getCommit()));
        old.put("triggeredAt", SampleEvents.TRIGGERED_AT.toEpochMilli());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        new GenericDatumWriter<GenericData.Record>(released, model).write(old, encoder);
        encoder.flush();

        RunContext read = new SpecificDatumReader<RunContext>(released, RunContext.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getAttempt()).isEqualTo(2);
        assertThat(read.getAcceptedSequence()).as("the documented value of a run from before the field").isZero();
    }

    @Test
    void everyEventCarriesEventIdRunAndEmittedAt() {
        for (Topics.EventTopic topic : Topics.PIPELINE) {
            Schema schema = parseAll(CURRENT).get(topic.eventType().getName());
            assertThat(schema).as("schema of %s in %s", topic.eventType().getName(), CURRENT).isNotNull();
            assertThat(schema.getField("eventId")).as("%s.eventId", schema.getName()).isNotNull()
                    .extracting(f -> f.schema().getType()).isEqualTo(Schema.Type.STRING);
            assertThat(schema.getField("run")).as("%s.run", schema.getName()).isNotNull()
                    .extracting(f -> f.schema().getFullName()).isEqualTo("io.slipway.events.RunContext");
            assertThat(schema.getField("emittedAt")).as("%s.emittedAt", schema.getName()).isNotNull()
                    .extracting(f -> f.schema().getLogicalType() == null ? null : f.schema().getLogicalType().getName())
                    .isEqualTo("timestamp-millis");
        }
    }

    @Test
    void generatedClassesAreUpToDateWithTheSchemaFiles() {
        Map<String, Schema> current = parseAll(CURRENT);
        for (Topics.EventTopic topic : java.util.stream.Stream.concat(Topics.PIPELINE.stream(),
                Topics.RUN_STREAMS.stream()).toList()) {
            Schema generated = SpecificData.get().getSchema(topic.eventType());
            assertThat(SchemaNormalization.toParsingForm(generated)).as(topic.eventType().getName())
                    .isEqualTo(SchemaNormalization.toParsingForm(current.get(topic.eventType().getName())));
        }
    }

    /** BACKWARD: can a reader with the current schema read data written with the released one? Empty when it can. */
    static List<String> backwardIncompatibilities(Schema current, Schema released) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream()
                .map(EventSchemaCompatibilityTest::describe)
                .toList();
    }

    private static String describe(Incompatibility incompatibility) {
        return incompatibility.getType() + " at " + incompatibility.getLocation() + ": " + incompatibility.getMessage();
    }

    /** Every .avsc of a directory, parsed with one parser, shared types first; keyed by full name. */
    static Map<String, Schema> parseAll(Path directory) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory.toAbsolutePath(), e);
        }
        List<Path> ordered = new ArrayList<>();
        for (String shared : SHARED_TYPES) {
            files.stream().filter(f -> f.getFileName().toString().equals(shared + ".avsc")).forEach(ordered::add);
        }
        files.stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Path file : ordered) {
            try {
                Schema schema = parser.parse(file.toFile());
                schemas.put(schema.getFullName(), schema);
            } catch (IOException | SchemaParseException e) {
                throw new IllegalStateException("cannot parse " + file.toAbsolutePath() + " (a new shared type must be added to "
                        + "SHARED_TYPES and to the avro-maven-plugin imports): " + e.getMessage(), e);
            }
        }
        assertThat(schemas).as(".avsc files in %s", directory.toAbsolutePath()).isNotEmpty();
        return schemas;
    }
}

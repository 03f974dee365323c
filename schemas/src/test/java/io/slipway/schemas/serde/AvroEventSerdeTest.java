package io.slipway.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.PoisonPayloads;
import io.slipway.schemas.RefusedPort;
import io.slipway.schemas.SampleEvents;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.InMemorySchemaRegistry;
import io.slipway.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serializer and deserializer against a small Confluent-compatible registry served over HTTP. */
class AvroEventSerdeTest {

    private InMemorySchemaRegistry registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = InMemorySchemaRegistry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void roundTripsEveryEventTypeInConfluentWireFormat() throws IOException {
        AvroEventSerializer serializer = new AvroEventSerializer(registry.newClient());
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());
        SchemaRegistryClient inspector = registry.newClient();

        for (int i = 0; i < Topics.PIPELINE.size(); i++) {
            Topics.EventTopic topic = Topics.PIPELINE.get(i);
            SpecificRecord event = SampleEvents.all().get(i);
            assertThat(event).isInstanceOf(topic.eventType());

            byte[] bytes = serializer.serialize(topic.topic(), event);

            int registeredId = inspector.latest(Topics.valueSubject(topic.topic())).id();
            assertThat(bytes[0]).as("magic byte").isZero();
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("big-endian schema id").isEqualTo(registeredId);
            assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).as("Avro binary body").isEqualTo(avroBinary(event));
            SpecificRecord read = deserializer.deserialize(topic.topic(), bytes);
            assertThat(read).isInstanceOf(topic.eventType()).isEqualTo(event);
        }
        assertThat(inspector.subjects()).containsExactlyElementsOf(
                Topics.pipelineTopics().stream().map(Topics::valueSubject).toList());
    }

    @Test
    void roundTripsEveryRunStreamRecordInConfluentWireFormat() throws IOException {
        AvroEventSerializer serializer = new AvroEventSerializer(registry.newClient());
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());
        SchemaRegistryClient inspector = registry.newClient();

        assertThat(SampleEvents.runStreams()).hasSameSizeAs(Topics.RUN_STREAMS);
        for (int i = 0; i < Topics.RUN_STREAMS.size(); i++) {
            Topics.EventTopic topic = Topics.RUN_STREAMS.get(i);
            SpecificRecord record = SampleEvents.runStreams().get(i);
            assertThat(record).isInstanceOf(topic.eventType());

            byte[] bytes = serializer.serialize(topic.topic(), record);

            assertThat(bytes[0]).as("magic byte").isZero();
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("big-endian schema id")
                    .isEqualTo(inspector.latest(Topics.valueSubject(topic.topic())).id());
            assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).as("Avro binary body").isEqualTo(avroBinary(record));
            assertThat(deserializer.deserialize(topic.topic(), bytes)).isInstanceOf(topic.eventType()).isEqualTo(record);
        }
        assertThat(inspector.subjects()).containsExactly(Topics.valueSubject(Topics.LOGS),
                Topics.valueSubject(Topics.REPORTS));
    }

    @Test
    void makesNoHttpCallAfterTheFirstUseOfASchema() {
        AvroEventSerializer serializer = new AvroEventSerializer(registry.newClient());
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());

        byte[] first = serializer.serialize(Topics.COMMITS, SampleEvents.commitReceived());
        deserializer.deserialize(Topics.COMMITS, first);
        assertThat(registry.requests()).containsExactly(
                "POST /subjects/slipway.commits-value/versions", "GET /schemas/ids/1");
        registry.clearRequests();

        CommitReceived another = SampleEvents.commitReceived();
        another.setEventId("another");
        byte[] second = serializer.serialize(Topics.COMMITS, another);
        deserializer.deserialize(Topics.COMMITS, second);
        deserializer.deserialize(Topics.COMMITS, first);

        assertThat(registry.requests()).isEmpty();
    }

    @Test
    void looksUpAnAlreadyRegisteredSchemaWhenAutoRegisterIsOff() {
        int id = registry.register("slipway.commits-value", CommitReceived.getClassSchema());
        AvroEventSerializer serializer = new AvroEventSerializer();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url().toString(),
                SerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);

        byte[] bytes = serializer.serialize(Topics.COMMITS, SampleEvents.commitReceived());
        serializer.serialize(Topics.COMMITS, SampleEvents.commitReceived());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(registry.requests()).containsExactly("POST /subjects/slipway.commits-value");
    }

    @Test
    void failsClearlyWhenAutoRegisterIsOffAndTheSchemaIsNotRegistered() {
        AvroEventSerializer serializer = new AvroEventSerializer(registry.newClient(), false);

        SchemaRegistryAccessException e = catchThrowableOfType(SchemaRegistryAccessException.class,
                () -> serializer.serialize(Topics.COMMITS, SampleEvents.commitReceived()));

        assertThat(e).hasMessageContaining("io.slipway.events.CommitReceived is not registered under subject slipway.commits-value")
                .hasMessageContaining("auto.register.schemas=false");
        assertThat(e.registryError().isSubjectNotFound()).isTrue();
        assertThat(e.isTransient()).isFalse();
        assertThat(registry.requests()).containsExactly("POST /subjects/slipway.commits-value");
    }

    @Test
    void usesTheKeySubjectForKeys() {
        AvroEventSerializer serializer = new AvroEventSerializer();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url().toString()), true);

        serializer.serialize(Topics.COMMITS, SampleEvents.commitReceived());

        assertThat(registry.requests()).containsExactly("POST /subjects/slipway.commits-key/versions");
    }

    @Test
    void mapsNullToNullForTombstones() {
        assertThat(new AvroEventSerializer(registry.newClient()).serialize(Topics.COMMITS, null)).isNull();
        assertThat(new AvroEventDeserializer(registry.newClient()).deserialize(Topics.COMMITS, null)).isNull();
        assertThat(registry.requests()).isEmpty();
    }

    @Test
    void rejectsAPayloadWithoutTheMagicByte() {
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());

        assertThatThrownBy(() -> deserializer.deserialize(Topics.COMMITS, "{\"eventId\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnknownMagicByteException.class)
                .hasMessage("Unknown magic byte 0x7b at offset 0; not Confluent wire format");
        assertThat(registry.requests()).isEmpty();
    }

    @Test
    void rejectsAPayloadShorterThanTheHeader() {
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());

        assertThatThrownBy(() -> deserializer.deserialize(Topics.COMMITS, new byte[] {0, 0, 0}))
                .isInstanceOf(TruncatedPayloadException.class)
                .hasMessageContaining("Payload of 3 bytes is too short for Confluent wire format");
        assertThatThrownBy(() -> deserializer.deserialize(Topics.COMMITS, new byte[0]))
                .isInstanceOf(TruncatedPayloadException.class);
    }

    @Test
    void namesTheSchemaIdTheRegistryDoesNotKnow() {
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());
        byte[] payload = {0, 0, 0, 0x10, (byte) 0x92, 2, 'x'};

        UnknownSchemaIdException e = catchThrowableOfType(UnknownSchemaIdException.class,
                () -> deserializer.deserialize(Topics.COMMITS, payload));

        assertThat(e.schemaId()).isEqualTo(4242);
        assertThat(e).hasMessageContaining("Schema id 4242").hasMessageContaining("40403");
    }

    @Test
    void namesTheRecordThatHasNoGeneratedClass() {
        Schema foreign = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"DeployRequested\",\"namespace\":\"io.slipway.events\",\"fields\":[{\"name\":\"eventId\",\"type\":\"string\"}]}");
        int id = registry.register("slipway.commits-value", foreign);
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());

        NoGeneratedClassException e = catchThrowableOfType(NoGeneratedClassException.class,
                () -> deserializer.deserialize(Topics.COMMITS, new byte[] {0, 0, 0, 0, (byte) id, 2, 'x'}));

        assertThat(e.recordName()).isEqualTo("io.slipway.events.DeployRequested");
        assertThat(e).hasMessageContaining("io.slipway.events.DeployRequested").hasMessageContaining("schema id " + id);
    }

    @Test
    void readsDataWrittenWithAnOlderSchemaIntoTheCurrentClassWithDefaults() throws IOException {
        Schema older = withoutField(CommitReceived.getClassSchema(), "deliveryId");
        int olderId = registry.register("slipway.commits-value", older);
        CommitReceived current = SampleEvents.commitReceived();
        byte[] payload = wire(olderId, older, asGeneric(current, older));

        SpecificRecord read = new AvroEventDeserializer(registry.newClient()).deserialize(Topics.COMMITS, payload);

        CommitReceived expected = CommitReceived.newBuilder(current).setDeliveryId(null).build();
        assertThat(read).isInstanceOf(CommitReceived.class).isEqualTo(expected);
        assertThat(((CommitReceived) read).getDeliveryId()).isNull();
    }

    @Test
    void reportsAnIncompatibleSchemaChangeRefusedByTheRegistry() {
        registry.register("slipway.commits-value", withoutField(CommitReceived.getClassSchema(), "source"));
        AvroEventSerializer serializer = new AvroEventSerializer(registry.newClient());

        SchemaRegistryAccessException e = catchThrowableOfType(SchemaRegistryAccessException.class,
                () -> serializer.serialize(Topics.COMMITS, SampleEvents.commitReceived()));

        assertThat(e.registryError().isIncompatible()).isTrue();
        assertThat(e).hasMessageContaining("Cannot register schema io.slipway.events.CommitReceived under subject slipway.commits-value");
    }

    @Test
    void reportsAnUnreachableRegistryAsATransientFailure() throws IOException {
        try (RefusedPort refused = new RefusedPort()) {
            int closedPort = refused.port();
            AvroEventSerializer serializer = new AvroEventSerializer();
            serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort), false);

            SchemaRegistryAccessException e = catchThrowableOfType(SchemaRegistryAccessException.class,
                    () -> serializer.serialize(Topics.COMMITS, SampleEvents.commitReceived()));

            assertThat(e.isTransient()).isTrue();
        }
    }

    @Test
    void aRecordDeclaringATwoBillionByteStringFailsAtOnceWithoutAllocatingIt() {
        int schemaId = PoisonPayloads.schemaIdOf(new AvroEventSerializer(registry.newClient())
                .serialize(Topics.IMAGES, SampleEvents.imageBuilt()));
        byte[] poison = PoisonPayloads.hugeString(schemaId);
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry.newClient());
        long before = allocatedBytes();

        assertThat(poison).hasSize(10);
        assertThatThrownBy(() -> deserializer.deserialize(Topics.IMAGES, poison))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("schema id " + schemaId)
                .hasRootCauseInstanceOf(SystemLimitException.class);
        assertThat(allocatedBytes() - before).as("bytes allocated while failing").isLessThan(64L * 1024 * 1024);
    }

    @Test
    void avroDecodesNoStringLongerThanSlipwaysLimitOnceADeserializerExists() {
        new AvroEventDeserializer(registry.newClient());

        assertThat(SystemLimitException.checkMaxStringLength(AvroLimits.MAX_LENGTH)).isEqualTo(AvroLimits.MAX_LENGTH);
        assertThatThrownBy(() -> SystemLimitException.checkMaxStringLength(AvroLimits.MAX_LENGTH + 1L))
                .isInstanceOf(SystemLimitException.class);
        assertThatThrownBy(() -> SystemLimitException.checkMaxBytesLength(AvroLimits.MAX_LENGTH + 1L))
                .isInstanceOf(SystemLimitException.class);
        assertThatThrownBy(() -> SystemLimitException.checkMaxCollectionLength(0, AvroLimits.MAX_COLLECTION_ITEMS + 1L))
                .isInstanceOf(SystemLimitException.class);
    }

    @Test
    void theLimitsHoldEvenWhenAvroReadItsOwnBeforeTheFirstDeserializerWasMade() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DecodesAvroFirst.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(jvm.waitFor()).as(output).isZero();
    }

    /** A JVM in which Avro reads its limits (its own defaults) before anything of Slipway's is loaded. */
    static final class DecodesAvroFirst {
        public static void main(String[] args) {
            SystemLimitException.checkMaxStringLength(AvroLimits.MAX_LENGTH + 1L);
            new AvroEventDeserializer().close();
            try {
                SystemLimitException.checkMaxStringLength(AvroLimits.MAX_LENGTH + 1L);
                System.out.println("a string longer than " + AvroLimits.MAX_LENGTH + " bytes is still accepted");
                System.exit(1);
            } catch (SystemLimitException expected) {
                System.exit(0);
            }
        }
    }

    /** Bytes this thread has allocated so far (HotSpot's per-thread counter). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void reportsAnEventMissingARequiredFieldAsASerializationError() {
        CommitReceived incomplete = SampleEvents.commitReceived();
        incomplete.setSource(null);

        assertThatThrownBy(() -> new AvroEventSerializer(registry.newClient()).serialize(Topics.COMMITS, incomplete))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("Cannot encode io.slipway.events.CommitReceived for topic slipway.commits");
    }

    @Test
    void serdeSharesOneClientBetweenSerializerAndDeserializer() {
        try (Serde<SpecificRecord> serde = new AvroEventSerde(registry.newClient())) {
            byte[] bytes = serde.serializer().serialize(Topics.FAILURES, SampleEvents.buildFailed());

            assertThat(serde.deserializer().deserialize(Topics.FAILURES, bytes)).isEqualTo(SampleEvents.buildFailed());
        }
        assertThat(registry.requests()).containsExactly("POST /subjects/slipway.failures-value/versions");
    }

    @Test
    void serdeIsConfiguredFromKafkaProperties() {
        try (Serde<SpecificRecord> serde = new AvroEventSerde()) {
            serde.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url().toString()), false);

            byte[] bytes = serde.serializer().serialize(Topics.IMAGES, SampleEvents.imageBuilt());

            assertThat(serde.deserializer().deserialize(Topics.IMAGES, bytes)).isEqualTo(SampleEvents.imageBuilt());
        }
    }

    private static byte[] avroBinary(SpecificRecord event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(event.getSchema(), SpecificData.getForClass(event.getClass())).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** The event as a generic record of another (compatible) schema, timestamps as plain longs. */
    private static GenericRecord asGeneric(SpecificRecord event, Schema schema) throws IOException {
        byte[] bytes = avroBinary(event);
        return new GenericDatumReader<GenericRecord>(event.getSchema(), schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static byte[] wire(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** A copy of a record schema without one top-level field: what an older version without that field looked like. */
    static Schema withoutField(Schema schema, String field) {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = (ObjectNode) json.readTree(schema.toString());
            ArrayNode fields = (ArrayNode) root.get("fields");
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).get("name").asText().equals(field)) {
                    fields.remove(i);
                    return new Schema.Parser().parse(json.writeValueAsString(root));
                }
            }
            throw new IllegalArgumentException(schema.getFullName() + " has no field " + field);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

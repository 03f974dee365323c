package io.slipway.schemas.serde;

import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a Confluent-wire-format payload into the generated event class named by the writer schema. The writer schema
 * is fetched by id (cached) and resolved against the class's own schema, so data written with an older compatible
 * version decodes into the current class, with defaults for fields the writer did not have. Loading this class sets
 * Avro's decoding limits ({@link AvroLimits}), so a payload declaring a huge string fails here instead of allocating it.
 */
public final class AvroEventDeserializer implements Deserializer<SpecificRecord> {

    static {
        AvroLimits.apply();
    }

    private final Map<Integer, SpecificDatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;

    /** For Kafka, which instantiates deserializers by class name and then calls {@link #configure}. */
    public AvroEventDeserializer() {
    }

    public AvroEventDeserializer(SchemaRegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Reads {@link SerdeConfig}; a client given to the constructor is kept, otherwise one is built from the config. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = new SchemaRegistryClient(SerdeConfig.registrySettings(configs));
        }
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroEventDeserializer is not configured: set " + SerdeConfig.SCHEMA_REGISTRY_URL);
        }
        int id = WireFormat.schemaId(payload);
        SpecificDatumReader<SpecificRecord> reader = readers.get(id);
        if (reader == null) {
            reader = readerFor(id, topic);
            readers.putIfAbsent(id, reader);
        }
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(
                    payload, WireFormat.HEADER_LENGTH, payload.length - WireFormat.HEADER_LENGTH, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode a record of topic " + topic + " written with schema id " + id
                    + " (" + reader.getSchema().getFullName() + "): " + e, e);
        }
    }

    private SpecificDatumReader<SpecificRecord> readerFor(int id, String topic) {
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isSchemaNotFound()) {
                throw new UnknownSchemaIdException(id, topic, e);
            }
            throw new SchemaRegistryAccessException("Cannot fetch writer schema id " + id + " for topic " + topic, e);
        }
        if (writer.getType() != Schema.Type.RECORD) {
            throw new NoGeneratedClassException(id, writer.getFullName(), "the writer schema is a " + writer.getType()
                    + ", and events are records");
        }
        Class<?> type = generatedClass(writer.getFullName());
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new NoGeneratedClassException(id, writer.getFullName(),
                    type == null ? "not on the classpath" : type.getName() + " is not a SpecificRecord");
        }
        SpecificData model = SpecificData.getForClass(type);
        return new SpecificDatumReader<>(writer, model.getSchema(type), model);
    }

    private static Class<?> generatedClass(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, AvroEventDeserializer.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // Try the next loader.
            }
        }
        return null;
    }
}

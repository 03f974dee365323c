package io.slipway.schemas.serde;

import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro event in the Confluent wire format, under the subject {@code <topic>-value} (or
 * {@code <topic>-key}). The schema is registered on first use unless {@code auto.register.schemas=false}, in which
 * case it must already be registered; schema ids are cached, so steady-state serializing makes no HTTP call.
 */
public final class AvroEventSerializer implements Serializer<SpecificRecord> {

    private final Map<Class<?>, DatumWriter<SpecificRecord>> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;

    /** For Kafka, which instantiates serializers by class name and then calls {@link #configure}. */
    public AvroEventSerializer() {
        this.autoRegister = true;
    }

    /** A value serializer that registers schemas with a shared client; {@link #configure} may still change it. */
    public AvroEventSerializer(SchemaRegistryClient registry) {
        this(registry, true);
    }

    public AvroEventSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.autoRegister = autoRegister;
    }

    /** Reads {@link SerdeConfig}; a client given to the constructor is kept, otherwise one is built from the config. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (configs.containsKey(SerdeConfig.AUTO_REGISTER_SCHEMAS)) {
            this.autoRegister = SerdeConfig.autoRegisterSchemas(configs);
        }
        if (registry == null) {
            registry = new SchemaRegistryClient(SerdeConfig.registrySettings(configs));
        }
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord event) {
        if (event == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroEventSerializer is not configured: set " + SerdeConfig.SCHEMA_REGISTRY_URL);
        }
        Schema schema = event.getSchema();
        String subject = isKey ? Topics.keySubject(topic) : Topics.valueSubject(topic);
        int id = schemaId(subject, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        WireFormat.writeHeader(out, id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(event.getClass(), type -> writerFor(schema, type)).write(event, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId(String subject, Schema schema) {
        try {
            return autoRegister ? registry.register(subject, schema) : registry.lookupId(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SchemaRegistryAccessException(autoRegister
                    ? "Cannot register schema " + schema.getFullName() + " under subject " + subject
                    : "Schema " + schema.getFullName() + " is not registered under subject " + subject
                            + " (" + SerdeConfig.AUTO_REGISTER_SCHEMAS + "=false)", e);
        }
    }

    private static DatumWriter<SpecificRecord> writerFor(Schema schema, Class<?> type) {
        return new SpecificDatumWriter<>(schema, SpecificData.getForClass(type));
    }
}

package io.slipway.schemas.serde;

import io.slipway.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/** {@link AvroEventSerializer} and {@link AvroEventDeserializer} as one Kafka {@code Serde}, e.g. for Kafka Streams. */
public final class AvroEventSerde extends Serdes.WrapperSerde<SpecificRecord> {

    /** For Kafka, which instantiates serdes by class name and then calls {@code configure}. */
    public AvroEventSerde() {
        super(new AvroEventSerializer(), new AvroEventDeserializer());
    }

    /** A serde whose serializer and deserializer share one registry client and its caches. */
    public AvroEventSerde(SchemaRegistryClient registry) {
        super(new AvroEventSerializer(registry), new AvroEventDeserializer(registry));
    }
}

package io.slipway.schemas.serde;

import io.slipway.schemas.registry.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;

/** The schema id in a payload's header is not known to the schema registry (error code 40403). */
public final class UnknownSchemaIdException extends SerializationException {

    private final int schemaId;

    public UnknownSchemaIdException(int schemaId, String topic, SchemaRegistryException cause) {
        super("Schema id " + schemaId + " of a record from topic " + topic + " is not known to the schema registry ("
                + cause.method() + " " + cause.url() + " answered " + cause.errorCode() + ": " + cause.registryMessage() + ")", cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}

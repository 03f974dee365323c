package io.slipway.schemas.serde;

import io.slipway.schemas.registry.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Serializing or deserializing needed the schema registry and the registry refused or could not be reached; the
 * cause is the {@link SchemaRegistryException}, and {@link #isTransient()} tells whether a retry may succeed.
 */
public final class SchemaRegistryAccessException extends SerializationException {

    public SchemaRegistryAccessException(String message, SchemaRegistryException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    public SchemaRegistryException registryError() {
        return (SchemaRegistryException) getCause();
    }

    public boolean isTransient() {
        return registryError().isTransient();
    }
}

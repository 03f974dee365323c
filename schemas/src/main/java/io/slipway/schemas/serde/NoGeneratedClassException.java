package io.slipway.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** The writer schema names a record for which no generated {@code SpecificRecord} class is on the classpath. */
public final class NoGeneratedClassException extends SerializationException {

    private final int schemaId;
    private final String recordName;

    public NoGeneratedClassException(int schemaId, String recordName, String detail) {
        super("No generated SpecificRecord class for " + recordName + " (writer schema id " + schemaId + "): " + detail);
        this.schemaId = schemaId;
        this.recordName = recordName;
    }

    public int schemaId() {
        return schemaId;
    }

    public String recordName() {
        return recordName;
    }
}

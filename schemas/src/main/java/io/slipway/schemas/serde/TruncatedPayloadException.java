package io.slipway.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** The payload is shorter than the 5-byte Confluent header (magic byte and 4-byte schema id). */
public final class TruncatedPayloadException extends SerializationException {

    private final int length;

    public TruncatedPayloadException(int length) {
        super("Payload of " + length + " bytes is too short for Confluent wire format: it needs at least "
                + WireFormat.HEADER_LENGTH + " bytes (magic byte 0 and a 4-byte schema id)");
        this.length = length;
    }

    public int length() {
        return length;
    }
}

package io.slipway.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The Confluent wire format of a record value or key: magic byte {@code 0}, the schema id as a 4-byte big-endian
 * int, then the Avro binary encoding of the datum.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_LENGTH = 1 + Integer.BYTES;

    private WireFormat() {
    }

    /** The schema id of a payload; throws when it is too short or does not start with the magic byte. */
    public static int schemaId(byte[] payload) {
        if (payload.length == 0) {
            throw new TruncatedPayloadException(payload.length);
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new UnknownMagicByteException(payload[0]);
        }
        if (payload.length < HEADER_LENGTH) {
            throw new TruncatedPayloadException(payload.length);
        }
        return ByteBuffer.wrap(payload, 1, Integer.BYTES).getInt();
    }

    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(schemaId).array());
    }
}

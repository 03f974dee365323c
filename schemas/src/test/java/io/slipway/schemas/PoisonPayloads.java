package io.slipway.schemas;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Hostile record values for tests. {@link #hugeString} is the 10-byte record that once ended a consumer thread: a
 * valid wire-format header, then an event whose first field (every event's {@code eventId} string) declares a length
 * of 2,000,000,000 bytes, which a decoder without limits tries to allocate.
 */
public final class PoisonPayloads {

    /** The length the poison record declares. */
    public static final long DECLARED_LENGTH = 2_000_000_000L;

    private PoisonPayloads() {
    }

    /** Magic byte 0, {@code schemaId} as 4 big-endian bytes, then the Avro long (zig-zag varint) 2,000,000,000. */
    public static byte[] hugeString(int schemaId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(schemaId).array());
        long zigZag = (DECLARED_LENGTH << 1) ^ (DECLARED_LENGTH >> 63);
        while ((zigZag & ~0x7FL) != 0) {
            out.write((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.write((int) zigZag);
        return out.toByteArray();
    }

    /** The schema id of a wire-format payload. */
    public static int schemaIdOf(byte[] payload) {
        return ByteBuffer.wrap(payload, 1, Integer.BYTES).getInt();
    }
}

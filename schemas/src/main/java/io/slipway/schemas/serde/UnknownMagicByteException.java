package io.slipway.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** The payload does not start with the Confluent magic byte 0, so it was not written by a schema-registry serializer. */
public final class UnknownMagicByteException extends SerializationException {

    private final byte magicByte;

    public UnknownMagicByteException(byte magicByte) {
        super(String.format("Unknown magic byte 0x%02x at offset 0; not Confluent wire format", magicByte & 0xff));
        this.magicByte = magicByte;
    }

    public byte magicByte() {
        return magicByte;
    }
}

package io.slipway.common.kafka;

/** Why a record went to the dead-letter topic; written to the {@link DeadLetterHeaders#REASON} header. */
public enum DeadLetterReason {
    /**
     * The value is not a Slipway event in the schema registry wire format (bad magic byte, unknown schema id, a length
     * beyond Avro's decoding limits …), or decoding it threw anything at all, an {@code Error} included.
     */
    DESERIALIZATION,
    /** The value decoded, but to an event type this topic does not carry. */
    UNEXPECTED_EVENT_TYPE,
    /** The handler rejected the record with a non-transient exception, or overflowed the stack on it. */
    PROCESSING,
    /** A transient fault outlasted the retry budget. */
    RETRIES_EXHAUSTED
}

package io.slipway.common.kafka;

/**
 * Header names put on every record in a {@code <topic>.dlq} topic, saying where the record came from and why it
 * could not be processed. The record's own key, value and headers are kept as received.
 */
public final class DeadLetterHeaders {
    /** Every dead-letter header starts with this; a replay removes them all. */
    public static final String PREFIX = "slipway.dlq.";
    public static final String ORIGINAL_TOPIC = "slipway.dlq.original-topic";
    public static final String ORIGINAL_PARTITION = "slipway.dlq.original-partition";
    public static final String ORIGINAL_OFFSET = "slipway.dlq.original-offset";
    public static final String ORIGINAL_TIMESTAMP = "slipway.dlq.original-timestamp";
    public static final String REASON = "slipway.dlq.reason";
    public static final String EXCEPTION_CLASS = "slipway.dlq.exception-class";
    public static final String EXCEPTION_MESSAGE = "slipway.dlq.exception-message";
    public static final String SERVICE = "slipway.dlq.service";
    public static final String FAILED_AT = "slipway.dlq.failed-at";
    /**
     * Put on a record replayed from a dead-letter topic ({@code ./slipway dlq replay}): which dead letter it was, as
     * {@code <topic>.dlq-<partition>@<offset>}. Not a dead-letter header, so it stays, one per replay.
     */
    public static final String REPLAYED_FROM = "slipway.replayed-from";

    private DeadLetterHeaders() {
    }
}

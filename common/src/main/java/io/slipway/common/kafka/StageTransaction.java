package io.slipway.common.kafka;

import org.apache.kafka.clients.producer.Producer;

import java.util.Optional;

/**
 * The Kafka transaction the current thread's stage worker has open, if any: publishers send through its producer so
 * that what they write commits, or aborts, together with the consumed offsets.
 */
public final class StageTransaction {

    private static final ThreadLocal<Producer<byte[], byte[]>> OPEN = new ThreadLocal<>();

    private StageTransaction() {
    }

    /** The open transaction's producer (byte[] keys and values), or empty outside a stage worker. */
    public static Optional<Producer<byte[], byte[]>> currentProducer() {
        return Optional.ofNullable(OPEN.get());
    }

    /** Runs {@code body} with {@code producer} as the current thread's open transaction. */
    static void within(Producer<byte[], byte[]> producer, Runnable body) {
        Producer<byte[], byte[]> outer = OPEN.get();
        OPEN.set(producer);
        try {
            body.run();
        } finally {
            if (outer == null) {
                OPEN.remove();
            } else {
                OPEN.set(outer);
            }
        }
    }
}

package io.slipway.common.kafka;

import org.apache.kafka.clients.producer.Producer;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Kafka transaction the current thread's stage worker has open, if any: publishers send through its producer so
 * that what they write commits, or aborts, together with the consumed offsets. It also knows when that transaction can
 * no longer commit (a send through it failed, or an acknowledgement was not had in time), so that a stage hands its
 * record back at once instead of retrying what cannot succeed until the transaction is aborted.
 */
public final class StageTransaction {

    /**
     * One open transaction: its identity, the producer handed to publishers and the first fault that doomed it, if
     * any.
     */
    private record Open(long id, Producer<byte[], byte[]> producer, AtomicReference<Throwable> doom) {
    }

    private static final ThreadLocal<Open> OPEN = new ThreadLocal<>();
    private static final ThreadLocal<Long> LAST = new ThreadLocal<>();
    private static final AtomicLong IDS = new AtomicLong();

    private StageTransaction() {
    }

    /** The open transaction's producer (byte[] keys and values), or empty outside a stage worker. */
    public static Optional<Producer<byte[], byte[]>> currentProducer() {
        return Optional.ofNullable(OPEN.get()).map(Open::producer);
    }

    /**
     * An identity of the open transaction, unique within the process, so that a stage can tell what it learnt in this
     * transaction from what it learnt in earlier ones; empty outside a stage worker.
     */
    public static OptionalLong currentId() {
        Open open = OPEN.get();
        return open == null ? OptionalLong.empty() : OptionalLong.of(open.id());
    }

    /**
     * The identity of the transaction the current thread's stage worker opened last, open or ended: in
     * {@link StageListener#onAborted} it names the transaction that was aborted. Empty on a thread that never had one.
     */
    public static OptionalLong lastId() {
        Long last = LAST.get();
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    /**
     * Why the current thread's open transaction can no longer commit: the first send through it that failed (the
     * producer is then in an abortable-error state, or was fenced) or whose acknowledgement was not had in time; empty
     * when it may still commit, or outside a stage worker.
     */
    static Optional<Throwable> doom() {
        return Optional.ofNullable(OPEN.get()).map(open -> open.doom().get());
    }

    /** Runs {@code body} with {@code producer} as the current thread's open transaction. */
    static void within(Producer<byte[], byte[]> producer, Runnable body) {
        Open outer = OPEN.get();
        AtomicReference<Throwable> doom = new AtomicReference<>();
        long id = IDS.incrementAndGet();
        LAST.set(id);
        OPEN.set(new Open(id, new WatchedProducer(producer, fault -> doom.compareAndSet(null, fault)), doom));
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

package io.slipway.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * State kept in a compacted topic and in memory: {@link #catchUp} reads the topic on to its current end (at start and
 * whenever partitions move to this instance), {@link #put} and {@link #delete} return once the broker acknowledged
 * them (outside a stage's transaction; see below). Per key the record with the highest offset wins, whether it was read or written here, and a tombstone
 * deletes. At most {@code maxKeys} keys are held: one more evicts the key whose value was set (or read) longest ago,
 * and the key is then unknown until it is written again; a value written and not yet acknowledged is not evicted
 * (the topic does not have it yet), so the store may go over the cap by as many. Safe for concurrent use.
 * <p>
 * A record whose key or value cannot be decoded (whatever its codec throws, an {@link Error} included) is skipped,
 * logged and counted ({@link #unreadable()}); it is not dead-lettered: only its own service writes a state topic, the
 * key's previous value stays in force, and the next write of the key supersedes the record (compaction then removes
 * it), so a copy in a dead-letter topic would have nothing to replay.
 * <p>
 * Inside a stage worker's transaction ({@link StageTransaction}) a write joins that transaction and is not waited for:
 * the value is held at once, ahead of anything read for its key, until the broker's acknowledgement gives it its place
 * among the key's records; a write that fails dooms the transaction, whose commit then fails, and a write into a
 * transaction already doomed throws at once, so a long stage stops there. So a stage whose transaction is aborted must
 * forget what it wrote ({@link StageListener#onAborted}), for example by reading the topic again. A write outside a
 * transaction first waits until the key's last write in one has its offset, so the two land in the topic in the order
 * they were made.
 * <p>
 * Outside a transaction, a caller that need not wait for each write can put through a {@link #batch()}: its values are
 * held at once as a transaction's are, and {@link Batch#flush} waits for them together (and sends a failed one again),
 * before the caller commits what made it write them.
 */
public final class CompactedTopicStore<K, V> implements AutoCloseable {

    /** How keys or values are written to and read from the topic; {@code decode} throws on bytes it cannot read. */
    public interface Codec<T> {
        byte[] encode(T value);

        T decode(byte[] bytes);

        /** Strings as UTF-8. */
        static Codec<String> utf8() {
            return of(s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
        }

        static <T> Codec<T> of(Function<T, byte[]> encode, Function<byte[], T> decode) {
            return new Codec<>() {
                @Override
                public byte[] encode(T value) {
                    return encode.apply(value);
                }

                @Override
                public T decode(byte[] bytes) {
                    return decode.apply(bytes);
                }
            };
        }
    }

    /**
     * A value, or a deletion ({@code value == null}) that is kept until the reader has passed it. A write of the open
     * transaction, or of a {@link Batch}, not yet acknowledged is {@link #pending}: no partition, and ahead of every
     * record read.
     */
    private record Entry<V>(int partition, long offset, V value) {

        static <V> Entry<V> pending(V value) {
            return new Entry<>(-1, Long.MAX_VALUE, value);
        }

        boolean isPending() {
            return partition < 0;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicStore.class);

    private final String topic;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final int maxKeys;
    private final Duration sendTimeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicTail<byte[], byte[]> reader;
    private final Producer<byte[], byte[]> producer;
    /** In the order values were set, oldest first; guarded by {@code this}. */
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();
    private final Map<K, Entry<V>> deletions = new HashMap<>();
    /** Per key, the batch write that is its latest write, until another write of the key; guarded by {@code this}. */
    private final Map<K, Unwaited> latest = new HashMap<>();
    /** The keys' writes in stage transactions not yet acknowledged, completed when they are (or fail). */
    private final Map<K, CompletableFuture<Void>> unacknowledged = new ConcurrentHashMap<>();
    private long evicted;
    private long unreadable;

    /**
     * A store of {@code topic}, read by a consumer and written by a producer named {@code <clientId>-reader} and
     * {@code <clientId>}; nothing is read before the first {@link #catchUp}.
     */
    public CompactedTopicStore(KafkaClients clients, String topic, String clientId, Codec<K> keys, Codec<V> values,
                               int maxKeys, Duration sendTimeout) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("a store must hold at least one key, not " + maxKeys);
        }
        this.topic = topic;
        this.keys = keys;
        this.values = values;
        this.maxKeys = maxKeys;
        this.sendTimeout = sendTimeout;
        this.consumer = clients.consumer(clientId + "-reader", null, KafkaClients.READS_WHEN_ASKED,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.reader = new TopicTail<>(consumer, List.of(topic));
        this.producer = clients.producer(clientId, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Reads every record written (by any instance) before this call that was not read yet; the first call reads the
     * topic from the beginning.
     *
     * @throws TransientFailure when the topic does not exist or cannot be read to its end within {@code timeout}
     */
    public void catchUp(Duration timeout) {
        synchronized (reader) {
            try {
                reader.catchUp(timeout, this::apply);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new TransientFailure("could not read " + topic + ": " + e.getMessage(), e);
            }
            Map<Integer, Long> positions = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                positions.put(partition.partition(), consumer.position(partition));
            }
            synchronized (this) {
                deletions.values().removeIf(d -> d.offset() < positions.getOrDefault(d.partition(), 0L));
            }
        }
    }

    /**
     * Forgets every value held and reads the topic again from its beginning, for a stage whose Kafka transaction was
     * aborted after this store held what it wrote (those records are never read back). Other threads wait for the
     * store meanwhile rather than see it half read.
     *
     * @throws TransientFailure when the topic cannot be read to its end within {@code timeout}; the store is then
     *                          empty until a later {@link #catchUp} or {@code reread} succeeds
     */
    public void reread(Duration timeout) {
        synchronized (reader) {
            synchronized (this) {
                entries.clear();
                deletions.clear();
                consumer.seekToBeginning(consumer.assignment());
                catchUp(timeout);
            }
        }
    }

    public synchronized Optional<V> get(K key) {
        Entry<V> entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    public synchronized int size() {
        return entries.size();
    }

    /** The keys held now whose key and value match {@code filter}, e.g. to {@link #delete} those past their use. */
    public synchronized List<K> keys(BiPredicate<? super K, ? super V> filter) {
        List<K> matching = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (filter.test(key, entry.value())) {
                matching.add(key);
            }
        });
        return matching;
    }

    /** How many records read from the topic could not be decoded and were skipped. */
    public synchronized long unreadable() {
        return unreadable;
    }

    /** How many keys were evicted because the store was full. */
    public synchronized long evicted() {
        return evicted;
    }

    /**
     * Writes a value and holds it once the broker acknowledged it; inside a stage worker's transaction, holds it at
     * once (see the class comment).
     *
     * @throws TransientFailure when the broker does not acknowledge within the send timeout (outside a transaction)
     */
    public void put(K key, V value) {
        write(key, values.encode(value), value);
    }

    /**
     * Writes a tombstone for the key and forgets it once the broker acknowledged it; inside a stage worker's
     * transaction, forgets it at once.
     *
     * @throws TransientFailure when the broker does not acknowledge within the send timeout (outside a transaction)
     */
    public void delete(K key) {
        write(key, null, null);
    }

    private void write(K key, byte[] encoded, V value) {
        synchronized (this) {
            latest.remove(key); // supersedes a batch's write of the key, which no flush sends again now
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, keys.encode(key), encoded);
        Optional<Producer<byte[], byte[]>> transaction = StageTransaction.currentProducer();
        if (transaction.isEmpty()) {
            awaitTransactionalWrite(key);
            RecordMetadata written = send(record, key);
            set(key, new Entry<>(written.partition(), written.offset(), value), false);
            return;
        }
        Optional<Throwable> doomed = StageTransaction.doom();
        if (doomed.isPresent()) {
            // A long stage stops at its first write once its transaction can no longer commit.
            throw new TransientFailure("could not write " + key + " to " + topic + ": the transaction can no longer "
                    + "commit: " + doomed.get().getMessage(), doomed.get());
        }
        // Nothing to wait for: a send that fails dooms the transaction, and its abort makes the stage read again.
        Entry<V> pending = Entry.pending(value);
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        unacknowledged.put(key, acknowledged);
        set(key, pending, false);
        try {
            transaction.get().send(record, (written, failure) -> {
                if (failure == null) {
                    settle(key, pending, new Entry<>(written.partition(), written.offset(), value));
                }
                unacknowledged.remove(key, acknowledged);
                acknowledged.complete(null);
            });
        } catch (RuntimeException e) {
            forget(key, pending);
            unacknowledged.remove(key, acknowledged);
            acknowledged.complete(null);
            throw e;
        }
    }

    /**
     * A batch of writes that are not waited for one by one, for a loop that must have its writes acknowledged before
     * it commits what it consumed, but not before it takes its next record (the notifier's channel workers). Not for
     * concurrent use: one batch per thread, and a key written through a batch is written by that thread alone (no
     * write of it in a stage's transaction, which goes through another producer and could overtake it). Outside any
     * transaction.
     */
    public Batch batch() {
        return new Batch();
    }

    /**
     * Writes that {@link #flush} waits for together. A value put is held at once, ahead of anything read for its key
     * (as a write in a stage's transaction is), and takes its place among the key's records once acknowledged; a held
     * value not yet acknowledged is never evicted. A write that failed stays held and is sent again by the next
     * flush, as long as it is its key's latest write (a later put or delete of the key, here or through the store,
     * supersedes it), even if a {@link #reread} dropped it meanwhile: what the caller wrote reaches the topic before
     * it commits. {@link #abandon} gives up what is not acknowledged, when the records that made it write them go to
     * another owner.
     */
    public final class Batch {

        /** Not yet known to be acknowledged or superseded, oldest first. */
        private final List<Unwaited> writes = new ArrayList<>();

        private Batch() {
        }

        /**
         * Holds the value and sends it, without waiting for the acknowledgement; a write of the key in a stage's
         * transaction (on another thread) is waited for first, as {@link CompactedTopicStore#put} does.
         */
        public void put(K key, V value) {
            awaitTransactionalWrite(key);
            Unwaited write = new Unwaited(key, values.encode(value), value);
            write.send();
            writes.add(write);
        }

        /**
         * Returns once every write put so far is acknowledged or superseded. Each write that failed and is still its
         * key's latest is sent once more first; then every write is waited for, until the deadline.
         *
         * @throws TransientFailure when a write failed again or is not acknowledged within {@code timeout}; what is
         *                          not acknowledged stays in the batch for the next flush
         */
        public void flush(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Unwaited write : writes) {
                if (write.failed()) {
                    write.sendAgainIfLatest();
                }
            }
            TransientFailure first = null;
            for (Iterator<Unwaited> unacknowledged = writes.iterator(); unacknowledged.hasNext(); ) {
                Unwaited write = unacknowledged.next();
                try {
                    if (write.acknowledged(deadline) || !write.isLatest()) {
                        unacknowledged.remove();
                    } else if (first == null) {
                        first = new TransientFailure("could not write " + write.key + " to " + topic + ": "
                                + write.failure().getMessage(), write.failure());
                    }
                } catch (TransientFailure e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }

        /**
         * Gives up every write not known to be acknowledged: for those not acknowledged yet the store holds again the
         * newest record of the key that reached the topic (before them, or while they were held), and no flush sends
         * them again. A write still in flight may yet land.
         */
        public void abandon() {
            for (Unwaited write : writes) {
                write.abandon();
            }
            writes.clear();
        }

        /** How many writes are not yet known to be acknowledged or superseded. */
        public int pending() {
            return writes.size();
        }
    }

    /** A write of a {@link Batch}: the value held for its key until acknowledged, and its acknowledgement. */
    private final class Unwaited {
        private final K key;
        private final byte[] encoded;
        private final V value;
        /** What the store holds for the key while this write is not acknowledged; guarded by the store. */
        private Entry<V> held;
        /**
         * The newest record of the key known to be on the topic: what the store held before this write (or before the
         * unacknowledged batch writes of the key it follows), or one that landed while it was held
         * ({@link #landedUnder}); put back if the write is abandoned. Guarded by the store.
         */
        private Entry<V> previous;
        private volatile CompletableFuture<RecordMetadata> acknowledgement;

        Unwaited(K key, byte[] encoded, V value) {
            this.key = key;
            this.encoded = encoded;
            this.value = value;
        }

        void send() {
            Entry<V> pending = Entry.pending(value);
            CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
            synchronized (CompactedTopicStore.this) {
                Entry<V> known = entries.containsKey(key) ? entries.get(key) : deletions.get(key);
                Unwaited before = latest.get(key);
                if (before != null && known != null && known == before.held) {
                    previous = before.previous; // displaces a batch write not acknowledged: what was before that one
                } else if (known != null && !known.isPending()) {
                    previous = known;
                } else if (known != held) {
                    previous = null;
                }
                held = pending;
                latest.put(key, this);
                set(key, pending, false);
            }
            acknowledgement = acknowledged;
            try {
                producer.send(new ProducerRecord<>(topic, keys.encode(key), encoded), (written, failure) -> {
                    if (failure != null) {
                        acknowledged.completeExceptionally(failure);
                        return;
                    }
                    synchronized (CompactedTopicStore.this) {
                        Entry<V> landed = new Entry<>(written.partition(), written.offset(), value);
                        settle(key, pending, landed);
                        if (!latest.remove(key, this)) { // on the topic now: nothing to send again or put back
                            landedUnder(key, landed);
                        }
                    }
                    acknowledged.complete(written);
                });
            } catch (RuntimeException e) {
                // Refused before it left (the producer closing, say): the value stays held and a flush sends it again.
                acknowledged.completeExceptionally(e);
            }
        }

        void sendAgainIfLatest() {
            if (isLatest()) {
                send();
            }
        }

        boolean isLatest() {
            synchronized (CompactedTopicStore.this) {
                return latest.get(key) == this;
            }
        }

        boolean failed() {
            return acknowledgement.isCompletedExceptionally();
        }

        /**
         * @return true once acknowledged, false when the write failed
         * @throws TransientFailure when it is neither by the deadline
         */
        boolean acknowledged(long deadline) {
            try {
                acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return true;
            } catch (ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientFailure("interrupted while writing " + key + " to " + topic, e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new TransientFailure("could not write " + key + " to " + topic + ": not acknowledged in time", e);
            }
        }

        Throwable failure() {
            try {
                acknowledgement.join();
                return null;
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                return e.getCause() == null ? e : e.getCause();
            }
        }

        void abandon() {
            synchronized (CompactedTopicStore.this) {
                if (latest.get(key) == this) {
                    latest.remove(key);
                    if (entries.get(key) == held || deletions.get(key) == held) {
                        forget(key, held);
                        if (previous != null) {
                            set(key, previous, true); // as read: a later record of the topic still wins over it
                        }
                    }
                }
            }
        }
    }

    /**
     * Waits until the key's last write in a stage's transaction has its offset, so that a write from outside the
     * transaction (an operator's, on another thread) lands after it in the topic as it does in program order; a read
     * would otherwise put the transaction's older value back.
     */
    private void awaitTransactionalWrite(K key) {
        CompletableFuture<Void> earlier = unacknowledged.get(key);
        if (earlier == null) {
            return;
        }
        try {
            earlier.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while waiting to write " + key + " to " + topic, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new TransientFailure("could not write " + key + " to " + topic + ": its write in a stage's "
                    + "transaction was not acknowledged within " + sendTimeout, e);
        }
    }

    /** Gives a pending write its place once acknowledged, unless the key was written again meanwhile. */
    private synchronized void settle(K key, Entry<V> pending, Entry<V> written) {
        if (entries.get(key) == pending) {
            entries.put(key, written);
        } else if (deletions.get(key) == pending) {
            deletions.put(key, written);
        }
    }

    /**
     * A record of the key that reached the topic while a batch's later write of the key is held (read from the topic,
     * or an earlier write of the batch acknowledged): that write puts it back if it is abandoned, when it is newer
     * than what the write would put back.
     */
    private synchronized void landedUnder(K key, Entry<V> landed) {
        Unwaited write = latest.get(key);
        if (write != null && (write.previous == null || write.previous.partition() != landed.partition()
                || write.previous.offset() < landed.offset())) {
            write.previous = landed;
        }
    }

    /** Drops a pending write that was never sent. */
    private synchronized void forget(K key, Entry<V> pending) {
        entries.remove(key, pending);
        deletions.remove(key, pending);
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> record, K key) {
        try {
            return producer.send(record).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while writing " + key + " to " + topic, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TransientFailure("could not write " + key + " to " + topic + ": " + cause.getMessage(), cause);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        K key;
        V value;
        try {
            key = record.key() == null ? null : keys.decode(record.key());
            value = record.value() == null ? null : values.decode(record.value());
        } catch (ThreadDeath e) {
            throw e;
        } catch (Throwable e) {
            synchronized (this) {
                unreadable++;
            }
            LOG.warn("Skipping unreadable record {}-{}@{}; the key keeps its previous value: {}", record.topic(),
                    record.partition(), record.offset(), e.toString());
            return;
        }
        if (key != null) {
            set(key, new Entry<>(record.partition(), record.offset(), value), true);
        }
    }

    /**
     * Holds {@code entry} for the key unless what is held is newer: a record of the same partition at a later offset,
     * or, against a record {@code read} from the topic, a write still pending (not acknowledged, or a batch's write
     * that failed and waits to be sent again). A pending write is always newest.
     */
    private synchronized void set(K key, Entry<V> entry, boolean read) {
        Entry<V> known = entries.containsKey(key) ? entries.get(key) : deletions.get(key);
        if (known != null && !entry.isPending() && read && known.isPending()) {
            landedUnder(key, entry);
            return;
        }
        if (known != null && !entry.isPending()
                && known.partition() == entry.partition() && known.offset() >= entry.offset()) {
            return;
        }
        entries.remove(key);
        deletions.remove(key);
        if (entry.value() == null) {
            deletions.put(key, entry);
            return;
        }
        entries.put(key, entry);
        // A value written and not acknowledged yet is never the one forgotten: the topic does not have it yet.
        for (Iterator<Map.Entry<K, Entry<V>>> oldest = entries.entrySet().iterator();
             entries.size() > maxKeys && oldest.hasNext(); ) {
            Map.Entry<K, Entry<V>> candidate = oldest.next();
            if (candidate.getValue().isPending()) {
                continue;
            }
            K gone = candidate.getKey();
            oldest.remove();
            if (evicted++ == 0) {
                LOG.warn("{} holds more than {} keys: from now on the key set longest ago is forgotten (first: {});"
                        + " raise slipway.kafka.state-max-keys to keep more", topic, maxKeys, gone);
            } else {
                LOG.debug("{} is full: forgot {}", topic, gone);
            }
        }
    }

    /** Flushes and closes the producer and the reader. */
    @Override
    public void close() {
        producer.close(sendTimeout);
        synchronized (reader) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}

package io.slipway.common.kafka;

import io.slipway.devstack.testing.SharedDevStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The compacted-topic store on the real broker: state rebuilt by reading the topic, the highest offset of a key wins
 * whoever wrote it, tombstones delete, unreadable records are skipped, and the cap evicts the key set longest ago.
 */
class CompactedTopicStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final CompactedTopicStore.Codec<Integer> NUMBERS = CompactedTopicStore.Codec.of(
            n -> n.toString().getBytes(StandardCharsets.UTF_8),
            b -> Integer.valueOf(new String(b, StandardCharsets.UTF_8)));

    private final SharedDevStack stack = SharedDevStack.get();
    private final KafkaClients clients = KafkaClients.of(Map.of("bootstrap.servers", stack.bootstrapServers()));
    private final String topic = stack.uniqueTopic("test.state");
    private final List<AutoCloseable> opened = new ArrayList<>();

    CompactedTopicStoreTest() {
        stack.createTopic(topic, 2);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable store : opened) {
            store.close();
        }
    }

    @Test
    void aRestartedStoreRebuildsTheLatestValueOfEveryKeyAndForgetsDeletedOnes() {
        CompactedTopicStore<String, Integer> first = store(100);
        first.catchUp(TIMEOUT);
        first.put("a", 1);
        first.put("a", 2);
        first.put("b", 10);
        first.put("c", 20);
        first.delete("b");
        opened.remove(first);
        first.close();

        CompactedTopicStore<String, Integer> restarted = readFromTheTopic(topic);

        assertThat(restarted.get("a")).contains(2);
        assertThat(restarted.get("b")).isEmpty();
        assertThat(restarted.get("c")).contains(20);
        assertThat(restarted.size()).isEqualTo(2);
    }

    @Test
    void aRereadForgetsWhatAnAbortedTransactionWroteAndKeepsWhatWasCommitted() {
        CompactedTopicStore<String, Integer> store = store(100);
        store.catchUp(TIMEOUT);
        store.put("kept", 1);
        try (Producer<byte[], byte[]> transactional = clients.transactionalProducer("test-aborting",
                "test-aborting-" + UUID.randomUUID())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            StageTransaction.within(transactional, () -> {
                store.put("kept", 2);
                store.put("aborted", 3);
            });
            transactional.abortTransaction();
        }
        assertThat(store.get("aborted")).as("held as soon as written").contains(3);

        store.reread(TIMEOUT);

        assertThat(store.get("kept")).contains(1);
        assertThat(store.get("aborted")).isEmpty();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void anOlderRecordReadAfterANewerWriteDoesNotReplaceIt() {
        CompactedTopicStore<String, Integer> other = store(100);
        other.put("a", 1);
        other.put("gone", 1);
        CompactedTopicStore<String, Integer> store = store(100);

        store.put("a", 2);
        store.delete("gone");
        store.catchUp(TIMEOUT);

        assertThat(store.get("a")).contains(2);
        assertThat(store.get("gone")).isEmpty();
    }

    @Test
    void aWriteInATransactionIsHeldAtOnceAheadOfOlderRecordsAndTakesItsPlaceOnceAcknowledged() {
        CompactedTopicStore<String, Integer> other = store(100);
        other.put("a", 1);
        other.put("gone", 1);
        CompactedTopicStore<String, Integer> store = store(100);
        try (Producer<byte[], byte[]> transactional = clients.transactionalProducer("test-committing",
                "test-committing-" + UUID.randomUUID())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            StageTransaction.within(transactional, () -> {
                store.put("a", 2);
                store.put("a", 3);
                store.delete("gone");
                store.put("b", 4);
                // Before the commit: what is read for the keys (committed, older) must not replace the writes.
                store.catchUp(TIMEOUT);
                assertThat(store.get("a")).contains(3);
                assertThat(store.get("gone")).isEmpty();
                assertThat(store.get("b")).contains(4);
            });
            transactional.commitTransaction();
        }
        assertThat(store.get("a")).contains(3);

        // Acknowledged, the writes have their offsets: another instance's later write wins over them when read.
        other.put("a", 5);
        other.put("gone", 6);
        store.catchUp(TIMEOUT);
        assertThat(store.get("a")).contains(5);
        assertThat(store.get("gone")).contains(6);
        assertThat(store.get("b")).contains(4);

        CompactedTopicStore<String, Integer> restarted = store(100);
        await().atMost(TIMEOUT).untilAsserted(() -> { // once the commit's markers are written, as above
            restarted.catchUp(TIMEOUT);
            assertThat(restarted.get("a")).contains(5);
            assertThat(restarted.get("b")).contains(4);
        });
    }

    @Test
    void aWriteFromOutsideTheTransactionLandsAfterTheKeysWriteInItAsItWasMade() throws Exception {
        CompactedTopicStore<String, Integer> store = store(100);
        store.catchUp(TIMEOUT);
        // The stage's record waits in its producer's buffer for 2 s, as it may under load, so the operator's write
        // would reach the topic first unless it waits for it.
        Map<String, Object> lingering = clients.transactionalProducerSettings("test-ordering",
                "test-ordering-" + UUID.randomUUID(), null);
        lingering.put(ProducerConfig.LINGER_MS_CONFIG, "2000");
        try (Producer<byte[], byte[]> transactional = new KafkaProducer<>(lingering, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            StageTransaction.within(transactional, () -> {
                store.put("slot", 1);
                // An operator's write on another thread while the stage's transaction is open (the deployer's approve).
                Thread operator = new Thread(() -> store.put("slot", 2));
                operator.start();
                try {
                    operator.join(TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertThat(operator.isAlive()).isFalse();
            });
            transactional.commitTransaction();
        }
        assertThat(store.get("slot")).contains(2);

        store.catchUp(TIMEOUT);
        assertThat(store.get("slot")).contains(2);
        CompactedTopicStore<String, Integer> restarted = store(100);
        // A read_committed reader sees the transaction's record, and what follows it, once the broker has written
        // the commit's markers, which it does after answering the commit.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            restarted.catchUp(TIMEOUT);
            assertThat(restarted.get("slot")).as("the operator's write has the higher offset").contains(2);
        });
    }

    @Test
    void aBatchHoldsItsWritesAtOnceAheadOfOlderRecordsAndAFlushWaitsForThemAll() {
        CompactedTopicStore<String, Integer> other = store(100);
        other.put("a", 1);
        CompactedTopicStore<String, Integer> store = store(100);
        CompactedTopicStore<String, Integer>.Batch batch = store.batch();

        batch.put("a", 2);
        batch.put("b", 3);
        batch.put("a", 4);
        assertThat(store.get("a")).contains(4);
        assertThat(store.get("b")).contains(3);
        store.catchUp(TIMEOUT);
        assertThat(store.get("a")).as("the older record read does not replace the write").contains(4);
        batch.flush(TIMEOUT);
        assertThat(batch.pending()).isZero();

        // Acknowledged, the writes have their offsets: another instance's later write wins over them when read.
        other.put("b", 5);
        store.catchUp(TIMEOUT);
        assertThat(store.get("b")).contains(5);
        CompactedTopicStore<String, Integer> restarted = readFromTheTopic(topic);
        assertThat(restarted.get("a")).contains(4);
        assertThat(restarted.get("b")).contains(5);
    }

    @Test
    void aBatchWriteThatFailedStaysHeldAndTheNextFlushSendsItAgain() {
        // The topic is missing, so every send fails once the producer gives up waiting for its metadata (1 s here).
        String missing = stack.uniqueTopic("test.state-later");
        CompactedTopicStore<String, Integer> store = impatientStore(missing, 100);
        CompactedTopicStore<String, Integer>.Batch batch = store.batch();

        batch.put("a", 1);
        assertThat(store.get("a")).contains(1);
        assertThatThrownBy(() -> batch.flush(TIMEOUT)).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("could not write a to " + missing);
        assertThat(batch.pending()).isOne();
        assertThat(store.get("a")).as("still held, to be sent again").contains(1);

        stack.createTopic(missing, 2);
        // Each flush sends the failed write once more; the producer may need a moment to learn of the new topic.
        await().atMost(TIMEOUT).untilAsserted(() -> batch.flush(TIMEOUT));
        assertThat(batch.pending()).isZero();
        CompactedTopicStore<String, Integer> restarted = readFromTheTopic(missing);
        assertThat(restarted.get("a")).contains(1);
    }

    @Test
    void aBatchWriteNotYetOnTheTopicIsNeitherEvictedNorLostToAReread() {
        String missing = stack.uniqueTopic("test.state-kept");
        CompactedTopicStore<String, Integer> store = impatientStore(missing, 1);
        CompactedTopicStore<String, Integer>.Batch batch = failedWriteOfA(store);
        stack.createTopic(missing, 2);
        CompactedTopicStore<String, Integer> other = store(missing, 100);
        other.put("b", 2);
        other.put("c", 3);

        store.catchUp(TIMEOUT);
        assertThat(store.get("a")).as("held over the one-key cap: the topic does not have it yet").contains(1);
        store.reread(TIMEOUT);
        assertThat(store.get("a")).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> batch.flush(TIMEOUT));

        CompactedTopicStore<String, Integer> restarted = readFromTheTopic(missing);
        assertThat(restarted.get("a")).as("sent again although the reread had dropped it").contains(1);
    }

    @Test
    void anAbandonedBatchWriteLeavesTheStoreWithTheNewestRecordTheTopicHasOfTheKey() {
        CompactedTopicStore<String, Integer> other = store(100);
        other.put("a", 0);
        other.put("b", 0);
        // Every record this store's producer sends is too large for it (a record batch alone takes 61 bytes), so
        // every write of its batch fails.
        KafkaClients cramped = KafkaClients.of(Map.of("bootstrap.servers", stack.bootstrapServers(),
                "max.request.size", "60"));
        CompactedTopicStore<String, Integer> store = store(cramped, topic, 100);
        store.catchUp(TIMEOUT);
        CompactedTopicStore<String, Integer>.Batch batch = store.batch();
        batch.put("a", 1);
        batch.put("a", 2);
        batch.put("b", 1);
        assertThat(store.get("a")).contains(2);
        assertThatThrownBy(() -> batch.flush(TIMEOUT)).isInstanceOf(TransientFailure.class);
        // Another owner's write of b, read while the batch's write of b is held (so not in force yet).
        other.put("b", 5);
        store.catchUp(TIMEOUT);
        assertThat(store.get("b")).contains(1);

        batch.abandon();
        assertThat(batch.pending()).isZero();
        assertThat(store.get("a")).as("what the topic had before the batch's writes").contains(0);
        assertThat(store.get("b")).as("the newest record read, though read while the write was held").contains(5);
        other.put("a", 3);
        store.catchUp(TIMEOUT);
        assertThat(store.get("a")).as("a later record of the topic wins over what was put back").contains(3);
    }

    @Test
    void aFailedBatchWriteThatANewerWriteReplacedIsNotSentAgain() {
        String missing = stack.uniqueTopic("test.state-replaced");
        CompactedTopicStore<String, Integer> store = impatientStore(missing, 100);
        CompactedTopicStore<String, Integer>.Batch failing = failedWriteOfA(store);

        stack.createTopic(missing, 2);
        await().atMost(TIMEOUT).untilAsserted(() -> store.put("a", 2));
        failing.flush(TIMEOUT);
        assertThat(failing.pending()).isZero();

        CompactedTopicStore<String, Integer> restarted = readFromTheTopic(missing);
        assertThat(restarted.get("a")).as("the value replaced was not written over the newer one").contains(2);
        assertThat(restarted.keys((k, v) -> true)).containsExactly("a");
    }

    @Test
    void aCatchUpReadsWhatAnotherInstanceWroteSinceTheLastOne() {
        CompactedTopicStore<String, Integer> store = store(100);
        store.put("a", 1);
        store.catchUp(TIMEOUT);
        CompactedTopicStore<String, Integer> other = store(100);

        other.put("a", 2);
        other.put("b", 3);
        assertThat(store.get("a")).contains(1);
        store.catchUp(TIMEOUT);

        assertThat(store.get("a")).contains(2);
        assertThat(store.get("b")).contains(3);
    }

    @Test
    void anUnreadableRecordIsSkippedAndTheKeyKeepsItsValue() throws Exception {
        CompactedTopicStore<String, Integer> store = store(100);
        store.put("a", 1);
        try (Producer<byte[], byte[]> raw = clients.producer("test-state-raw", new ByteArraySerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, bytes("a"), bytes("not a number"))).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(topic, null, bytes("7"))).get(30, TimeUnit.SECONDS);
        }

        CompactedTopicStore<String, Integer> restarted = readFromTheTopic(topic);

        assertThat(restarted.get("a")).contains(1);
        assertThat(restarted.size()).isEqualTo(1);
        assertThat(restarted.unreadable()).isEqualTo(1);
    }

    @Test
    void aRecordWhoseDecodingThrowsAnErrorIsSkippedAndCountedAndTheRecordsAfterItAreRead() throws Exception {
        CompactedTopicStore.Codec<Integer> failing = CompactedTopicStore.Codec.of(NUMBERS::encode, b -> {
            if (new String(b, StandardCharsets.UTF_8).equals("huge")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return NUMBERS.decode(b);
        });
        String single = stack.uniqueTopic("test.state-errors");
        stack.createTopic(single, 1);
        try (Producer<byte[], byte[]> raw = clients.producer("test-state-raw", new ByteArraySerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(single, bytes("a"), bytes("1"))).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(single, bytes("a"), bytes("huge"))).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(single, bytes("b"), bytes("2"))).get(30, TimeUnit.SECONDS);
        }
        CompactedTopicStore<String, Integer> store = new CompactedTopicStore<>(clients, single, "test-state",
                CompactedTopicStore.Codec.utf8(), failing, 100, TIMEOUT);
        opened.add(store);

        store.catchUp(TIMEOUT);

        assertThat(store.get("a")).contains(1);
        assertThat(store.get("b")).contains(2);
        assertThat(store.unreadable()).isEqualTo(1);
    }

    @Test
    void aFullStoreForgetsTheKeySetLongestAgoAndSoDoesItsRebuild() {
        String single = stack.uniqueTopic("test.state-single");
        stack.createTopic(single, 1);
        CompactedTopicStore<String, Integer> store = store(single, 2);
        store.put("a", 1);
        store.put("b", 2);
        store.put("a", 3);
        store.put("c", 4);

        assertThat(store.get("b")).isEmpty();
        assertThat(store.get("a")).contains(3);
        assertThat(store.get("c")).contains(4);
        assertThat(store.evicted()).isEqualTo(1);

        CompactedTopicStore<String, Integer> rebuilt = store(single, 2);
        rebuilt.catchUp(TIMEOUT);
        assertThat(rebuilt.get("b")).isEmpty();
        assertThat(rebuilt.get("a")).contains(3);
        assertThat(rebuilt.get("c")).contains(4);
    }

    @Test
    void aMissingTopicIsATransientFailure() {
        CompactedTopicStore<String, Integer> store = store(stack.uniqueTopic("test.state-missing"), 10);

        assertThatThrownBy(() -> store.catchUp(Duration.ofSeconds(2))).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("does not exist");
    }

    private CompactedTopicStore<String, Integer> store(int maxKeys) {
        return store(topic, maxKeys);
    }

    private CompactedTopicStore<String, Integer> store(String name, int maxKeys) {
        return store(clients, name, maxKeys);
    }

    /** A store whose producer waits only 1 s for a topic's metadata, so a write to a missing topic fails soon. */
    private CompactedTopicStore<String, Integer> impatientStore(String name, int maxKeys) {
        return store(KafkaClients.of(Map.of("bootstrap.servers", stack.bootstrapServers(), "max.block.ms", "1000")),
                name, maxKeys);
    }

    private CompactedTopicStore<String, Integer> store(KafkaClients with, String name, int maxKeys) {
        CompactedTopicStore<String, Integer> store = new CompactedTopicStore<>(with, name, "test-state",
                CompactedTopicStore.Codec.utf8(), NUMBERS, maxKeys, TIMEOUT);
        opened.add(store);
        return store;
    }

    /** A batch of {@code store} (an impatient one, on a topic not created yet) whose write of a = 1 failed. */
    private static CompactedTopicStore<String, Integer>.Batch failedWriteOfA(
            CompactedTopicStore<String, Integer> store) {
        CompactedTopicStore<String, Integer>.Batch batch = store.batch();
        batch.put("a", 1);
        assertThatThrownBy(() -> batch.flush(TIMEOUT)).isInstanceOf(TransientFailure.class);
        return batch;
    }

    /** A new store that has read the topic: what a restarted instance would hold. */
    private CompactedTopicStore<String, Integer> readFromTheTopic(String name) {
        CompactedTopicStore<String, Integer> restarted = store(name, 100);
        restarted.catchUp(TIMEOUT);
        return restarted;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.slipway.common.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slipway.common.liveness.Heartbeat;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.testing.TopicReader;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stage workers against the real broker: what a read_committed reader sees of a stage's outputs when a batch fails
 * midway, when a poll's transaction outlasts its bound, when a worker turns zombie, when a record is dead-lettered,
 * when a record breaks every transaction it is in and when sends time out, and how often an idle worker fetches.
 */
class StageWorkerTest {

    private final SharedDevStack stack = SharedDevStack.get();
    private final KafkaClients clients = KafkaClients.of(Map.of("bootstrap.servers", stack.bootstrapServers()));
    private final SchemaRegistryClient registry = new SchemaRegistryClient(stack.registryUrl());
    private final List<StageWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Heartbeats heartbeats = new Heartbeats(Clock.systemUTC());

    @AfterEach
    void stopWorkers() throws Exception {
        workers.forEach(StageWorker::stop);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void aBatchThatFailsMidwayLeavesNothingVisibleAndThenEachRecordsOutputAppearsOnce() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        List<Integer> committedWhenAborted = new CopyOnWriteArrayList<>();
        List<Integer> writtenWhenAborted = new CopyOnWriteArrayList<>();
        TestListener listener = handingR2BackOnce("stage-batch-", input, output, true);
        listener.aborted = () -> {
            committedWhenAborted.add(readCommitted(output).size());
            writtenWhenAborted.add(readUncommitted(output).size());
        };

        start(listener, 0, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> readCommitted(output).size() >= 5);
        assertThat(keys(readCommitted(output))).containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(committedWhenAborted).containsExactly(0);
        assertThat(writtenWhenAborted).as("r0 and r1 were written, in the aborted transaction").containsExactly(2);
        assertThat(committedOffset(listener.subscription().group(), input)).isEqualTo(5);
    }

    @Test
    void aPollsTransactionOpenPastItsBoundIsCommittedBeforeTheNextRecordSoALaterAbortKeepsIt() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        List<Integer> committedWhenAborted = new CopyOnWriteArrayList<>();
        TestListener listener = handingR2BackOnce("stage-bound-", input, output, false);
        listener.aborted = () -> committedWhenAborted.add(readCommitted(output).size());

        start(listener, 0, Duration.ofSeconds(30), Duration.ZERO);

        await().atMost(Duration.ofSeconds(60)).until(() -> readCommitted(output).size() >= 5);
        assertThat(keys(readCommitted(output))).containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(committedWhenAborted).as("r0 and r1 were committed, each past the bound, before r2 was taken")
                .containsExactly(2);
        assertThat(committedOffset(listener.subscription().group(), input)).isEqualTo(5);
    }

    @Test
    void aZombiePastItsPollIntervalCannotCommitAndOnlyTheNewOwnersOutputIsSeen() throws Exception {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        String group = "stage-zombie-" + input;
        EventPublisher publisher = publisher();
        CountDownLatch zombieTookIt = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicBoolean blockedOnce = new AtomicBoolean();
        List<TestListener> listeners = new ArrayList<>();
        for (int index = 0; index < 2; index++) {
            String writer = "worker-" + index;
            TestListener listener = new TestListener(new StageSubscription(group, List.of(input), 1,
                    Batching.PER_RECORD), record -> {
                if (blockedOnce.compareAndSet(false, true)) {
                    zombieTookIt.countDown();
                    await().atMost(Duration.ofSeconds(60)).until(() -> resume.getCount() == 0);
                }
                publisher.publish(output, writer, RecordPipelineTest.commitReceived());
                StageTransaction.currentProducer().orElseThrow().flush();
            });
            listeners.add(listener);
            start(listener, index, Duration.ofSeconds(4));
        }
        produce(input, List.of("z"));

        assertThat(zombieTookIt.await(60, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> readCommitted(output).size() == 1);
        String newOwner = keys(readCommitted(output)).get(0);
        resume.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> listeners.stream().anyMatch(l -> l.abortions.get() > 0));

        assertThat(keys(readUncommitted(output))).as("the zombie did write, in a transaction that was aborted")
                .hasSize(2).contains(newOwner);
        assertThat(keys(readCommitted(output))).containsExactly(newOwner);
        assertThat(committedOffset(group, input)).isEqualTo(1);
    }

    @Test
    void aDeadLetterAndAnOutputEventCommitTogetherWithTheOffset() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        EventPublisher publisher = publisher();
        RecordPipeline pipeline = pipeline(input,
                new RetryBudget(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(500)),
                new SimpleMeterRegistry());
        produceValues(input, List.of(new byte[]{1, 2, 3}, commitReceived(input)));
        TestListener listener = new TestListener(new StageSubscription("stage-dlq-" + input, List.of(input), 1,
                Batching.PER_RECORD), record -> pipeline.process(record, CommitReceived.class,
                event -> publisher.publish(output, "out", event), WhenExhausted.deadLetter()));

        start(listener, 0, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset(listener.subscription().group(), input) == 2);
        assertThat(readCommitted(Topics.deadLetter(input))).singleElement()
                .satisfies(letter -> assertThat(letter.value()).containsExactly(1, 2, 3));
        assertThat(keys(readCommitted(output))).containsExactly("out");
        assertThat(endOffset(Topics.deadLetter(input))).as("a commit marker follows the dead letter").isEqualTo(2);
        assertThat(endOffset(output)).as("a commit marker follows the event").isEqualTo(2);
    }

    @Test
    void aSendThatDoomsTheTransactionIsRetriedByTheWorkerNotByTheRetryBudgetAndItsOutputAppearsOnce() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        EventPublisher publisher = publisher();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordPipeline pipeline = pipeline(input,
                new RetryBudget(Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofMinutes(1)), meters);
        produceValues(input, List.of(commitReceived(input)));
        AtomicInteger attempts = new AtomicInteger();
        List<String> failureOutcomes = new CopyOnWriteArrayList<>();
        TestListener listener = new TestListener(new StageSubscription("stage-doomed-" + input, List.of(input), 1,
                Batching.PER_RECORD), record -> pipeline.process(record, CommitReceived.class, received -> {
                    if (attempts.incrementAndGet() == 1) {
                        sendTooLargeAndWait(output);
                    }
                    publisher.publish(output, "out", received);
                }, WhenExhausted.publishFailure((received, exhausted) -> failureOutcomes.add(exhausted.summary()))));

        start(listener, 0, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset(listener.subscription().group(), input) == 1);
        assertThat(attempts).hasValue(2);
        assertThat(listener.abortions).hasValue(1);
        assertThat(keys(readCommitted(output))).containsExactly("out");
        assertThat(readCommitted(Topics.deadLetter(input))).isEmpty();
        assertThat(failureOutcomes).isEmpty();
        assertThat(meters.counter("slipway.records", "topic", input, "outcome", "retried").count()).isZero();
        assertThat(meters.counter("slipway.records", "topic", input, "outcome", "handed_back").count()).isEqualTo(1);
        assertThat(heartbeats.vitals()).singleElement().satisfies(vital -> assertThat(vital.lastError())
                .as("the health shows the transaction's fault").contains("RecordTooLargeException"));
    }

    @Test
    void aRecordWhoseOutputIsTooLargeEndsInItsDeadLetterTopicAfterThreeAbortsAndTheRecordsAfterItAreProcessedOnce() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        produce(input, List.of("p0", "big", "p1", "p2"));
        AtomicInteger bigAttempts = new AtomicInteger();
        TestListener listener = new TestListener(new StageSubscription("stage-poison-" + input, List.of(input), 1,
                Batching.PER_POLL), record -> {
            byte[] value = record.value();
            if (key(record).equals("big")) {
                bigAttempts.incrementAndGet();
                value = new byte[2 * 1024 * 1024];
            }
            StageTransaction.currentProducer().orElseThrow().send(new ProducerRecord<>(output, record.key(), value));
        });

        start(listener, 0, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset(listener.subscription().group(), input) == 4);
        assertThat(keys(readCommitted(output))).containsExactly("p0", "p1", "p2");
        assertThat(readCommitted(Topics.deadLetter(input))).singleElement().satisfies(letter -> {
            assertThat(key(letter)).isEqualTo("big");
            assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("PROCESSING");
            assertThat(header(letter, DeadLetterHeaders.EXCEPTION_CLASS)).endsWith("RecordTooLargeException");
            assertThat(header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE)).isNotBlank();
        });
        assertThat(bigAttempts).hasValue(PoisonRecords.ABORTS_BEFORE_DEAD_LETTER);
        assertThat(listener.abortions).hasValue(PoisonRecords.ABORTS_BEFORE_DEAD_LETTER);
        assertThat(heartbeats.alive()).isTrue();
    }

    @Test
    void aRecordWhoseSendsTimeOutMoreOftenThanThePoisonLimitIsRetriedNotDeadLettered() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        produce(input, List.of("t0", "t1"));
        int timeouts = PoisonRecords.ABORTS_BEFORE_DEAD_LETTER + 2;
        AtomicInteger attempts = new AtomicInteger();
        TestListener listener = new TestListener(new StageSubscription("stage-timeouts-" + input, List.of(input), 1,
                Batching.PER_RECORD), record -> {
            attempts.incrementAndGet();
            try {
                StageTransaction.currentProducer().orElseThrow()
                        .send(new ProducerRecord<>(output, record.key(), record.value())).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new RecordPipeline.RecordHandedBack("could not write " + key(record), e);
            }
        });

        start(listener, 0, Duration.ofSeconds(30), real -> timingOut(real, output, new AtomicInteger(timeouts)));

        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset(listener.subscription().group(), input) == 2);
        assertThat(keys(readCommitted(output))).containsExactly("t0", "t1");
        assertThat(readCommitted(Topics.deadLetter(input))).isEmpty();
        assertThat(attempts).hasValue(timeouts + 2);
        assertThat(listener.abortions).hasValue(timeouts);
    }

    @Test
    void anIdleWorkerFetchesAtMostAboutTwiceASecond() {
        String input = newTopic("stage-in");
        AtomicInteger received = new AtomicInteger();
        TestListener listener = new TestListener(new StageSubscription("stage-idle-" + input, List.of(input), 1,
                Batching.PER_RECORD), record -> received.incrementAndGet());
        KafkaConsumer<byte[], byte[]> consumer = start(listener, 0, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> !listener.assigned.isEmpty());
        double assignedAt = fetchMetric(consumer, "fetch-total");
        await().atMost(Duration.ofSeconds(60)).until(() -> fetchMetric(consumer, "fetch-total") >= assignedAt + 8);

        assertThat(fetchMetric(consumer, "fetch-rate")).isGreaterThan(0).isLessThanOrEqualTo(2.5);
        assertThat(received).hasValue(0);
    }

    @Test
    void anErrorWhileHandlingEndsTheWorkerItsHeartbeatSaysSoAndTheRecordStaysUncommitted() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        produce(input, List.of("e0"));
        EventPublisher publisher = publisher();
        TestListener listener = new TestListener(new StageSubscription("stage-error-" + input, List.of(input), 1,
                Batching.PER_POLL), record -> {
            publisher.publish(output, key(record), RecordPipelineTest.commitReceived());
            throw new OutOfMemoryError("simulated");
        });

        start(listener, 0, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> !heartbeats.alive());
        assertThat(heartbeats.vitals()).singleElement()
                .satisfies(vital -> assertThat(vital.state()).contains("thread died").contains("simulated"));
        assertThat(readCommitted(output)).isEmpty();
        assertThat(committedOffset(listener.subscription().group(), input)).isEqualTo(-1);
    }

    @Test
    void aCommitWhoseOutcomeWasNotLearntIsNotRedoneSoEachOutputAppearsOnce() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        produce(input, List.of("u0", "u1", "u2"));
        EventPublisher publisher = publisher();
        AtomicInteger received = new AtomicInteger();
        TestListener listener = new TestListener(new StageSubscription("stage-unknown-" + input, List.of(input), 1,
                Batching.PER_POLL), record -> {
            received.incrementAndGet();
            publisher.publish(output, key(record), RecordPipelineTest.commitReceived());
        });
        AtomicBoolean timedOutOnce = new AtomicBoolean();

        start(listener, 0, Duration.ofSeconds(30), producer -> commitThenTimeOut(producer, timedOutOnce));

        await().atMost(Duration.ofSeconds(60)).until(() -> listener.abortions.get() == 1
                && committedOffset(listener.subscription().group(), input) == 3);
        produce(input, List.of("u3"));
        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset(listener.subscription().group(), input) == 4);
        assertThat(keys(readCommitted(output))).containsExactly("u0", "u1", "u2", "u3");
        assertThat(received).as("the committed batch was not taken again").hasValue(4);
    }

    @Test
    void aListenerWhoseAssignmentFailsTwiceIsToldAgainAndItsRecordsAreProcessedOnce() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        produce(input, List.of("a0", "a1"));
        EventPublisher publisher = publisher();
        AtomicInteger assignments = new AtomicInteger();
        TestListener listener = new TestListener(new StageSubscription("stage-assign-" + input, List.of(input), 1,
                Batching.PER_POLL), record -> publisher.publish(output, key(record),
                RecordPipelineTest.commitReceived())) {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty() && assignments.incrementAndGet() <= 2) {
                    throw new TransientFailure("the stage's store cannot be read yet", null);
                }
                super.onPartitionsAssigned(partitions);
            }
        };

        start(listener, 0, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset(listener.subscription().group(), input) == 2);
        assertThat(assignments).hasValue(3);
        assertThat(keys(readCommitted(output))).containsExactly("a0", "a1");
        assertThat(heartbeats.alive()).isTrue();
        assertThat(heartbeats.vitals()).singleElement().satisfies(vital -> assertThat(vital.lastError())
                .as("the health shows why the worker waited").contains("cannot be read yet"));
    }

    @Test
    void anOnAbortedThatFailsOnceIsToldAgainAndTheWorkerCarriesOn() {
        String input = newTopic("stage-in");
        String output = newTopic("stage-out");
        produce(input, List.of("b0"));
        EventPublisher publisher = publisher();
        AtomicBoolean handedBack = new AtomicBoolean();
        AtomicInteger forgetAttempts = new AtomicInteger();
        TestListener listener = new TestListener(new StageSubscription("stage-forget-" + input, List.of(input), 1,
                Batching.PER_RECORD), record -> {
            if (handedBack.compareAndSet(false, true)) {
                throw new RecordPipeline.RecordHandedBack("the stage gave b0 back", null);
            }
            publisher.publish(output, key(record), RecordPipelineTest.commitReceived());
        });
        listener.aborted = () -> {
            if (forgetAttempts.incrementAndGet() == 1) {
                throw new TransientFailure("the stage's store cannot be read yet", null);
            }
        };

        start(listener, 0, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset(listener.subscription().group(), input) == 1);
        assertThat(forgetAttempts).hasValue(2);
        assertThat(keys(readCommitted(output))).containsExactly("b0");
        assertThat(heartbeats.alive()).isTrue();
    }

    private KafkaConsumer<byte[], byte[]> start(StageListener listener, int index, Duration pollInterval) {
        return start(listener, index, pollInterval, UnaryOperator.identity());
    }

    private KafkaConsumer<byte[], byte[]> start(StageListener listener, int index, Duration pollInterval,
                                                UnaryOperator<Producer<byte[], byte[]>> wrap) {
        return start(listener, index, pollInterval, wrap, Duration.ofMinutes(1));
    }

    private KafkaConsumer<byte[], byte[]> start(StageListener listener, int index, Duration pollInterval,
                                                Duration commitAfter) {
        return start(listener, index, pollInterval, UnaryOperator.identity(), commitAfter);
    }

    private KafkaConsumer<byte[], byte[]> start(StageListener listener, int index, Duration pollInterval,
                                                UnaryOperator<Producer<byte[], byte[]>> wrap, Duration commitAfter) {
        StageSubscription subscription = listener.subscription();
        String clientId = subscription.group() + "-" + index;
        KafkaConsumer<byte[], byte[]> consumer = clients.consumer(clientId, subscription.group(), Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(pollInterval.toMillis()),
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000",
                        ConsumerConfig.METRICS_SAMPLE_WINDOW_MS_CONFIG, "2000"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        String transactionalId = subscription.group() + ".test." + index;
        Heartbeat heartbeat = heartbeats.register(clientId, pollInterval);
        StageWorker worker = new StageWorker(clientId, listener, consumer,
                () -> wrap.apply(clients.transactionalProducer(clientId, transactionalId, Duration.ofSeconds(60))),
                deadLetters(subscription.topics()), heartbeat, pollInterval, commitAfter);
        Thread thread = new Thread(heartbeat.guard(worker), clientId);
        thread.setUncaughtExceptionHandler((t, e) -> { });
        workers.add(worker);
        threads.add(thread);
        thread.start();
        return consumer;
    }

    /**
     * The producer, except that its first {@code commitTransaction} commits and then throws a timeout, as when the
     * acknowledgement of a commit the coordinator did decide was not had in time.
     */
    @SuppressWarnings("unchecked")
    private static Producer<byte[], byte[]> commitThenTimeOut(Producer<byte[], byte[]> producer,
                                                              AtomicBoolean timedOutOnce) {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[]{Producer.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(producer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commitTransaction") && timedOutOnce.compareAndSet(false, true)) {
                        throw new TimeoutException("simulated: the commit's outcome was not learnt in time");
                    }
                    return result;
                });
    }

    /**
     * Sends, through the open transaction, a record larger than the producer accepts and waits for it as
     * {@link CompactedTopicStore} does, so the transaction is left in an abortable-error state and the failure reaches
     * the record pipeline as a transient fault.
     */
    private static void sendTooLargeAndWait(String topic) {
        try {
            StageTransaction.currentProducer().orElseThrow()
                    .send(new ProducerRecord<>(topic, bytes("too-large"), new byte[2 * 1024 * 1024]))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new TransientFailure("could not write too-large to " + topic, e);
        }
    }

    /**
     * A per-poll stage that forwards r0 to r4 of {@code input} (produced here) to {@code output} and hands r2 back the
     * first time, after flushing what its transaction holds so far when {@code flushFirst}.
     */
    private TestListener handingR2BackOnce(String groupPrefix, String input, String output, boolean flushFirst) {
        produce(input, List.of("r0", "r1", "r2", "r3", "r4"));
        EventPublisher publisher = publisher();
        AtomicBoolean failedOnce = new AtomicBoolean();
        return new TestListener(new StageSubscription(groupPrefix + input, List.of(input), 1, Batching.PER_POLL),
                record -> {
                    if (key(record).equals("r2") && failedOnce.compareAndSet(false, true)) {
                        if (flushFirst) {
                            StageTransaction.currentProducer().orElseThrow().flush();
                        }
                        throw new RecordPipeline.RecordHandedBack("the stage gave r2 back", null);
                    }
                    publisher.publish(output, key(record), RecordPipelineTest.commitReceived());
                });
    }

    private String newTopic(String prefix) {
        String topic = stack.uniqueTopic(prefix);
        stack.createTopic(topic, 1);
        return topic;
    }

    private EventPublisher publisher() {
        AvroEventSerializer serializer = new AvroEventSerializer(registry);
        StringSerializer keys = new StringSerializer();
        Producer<String, SpecificRecord> producer = clients.producer("test-events", keys, serializer);
        EventPublisher publisher = new EventPublisher(producer, keys, serializer, Duration.ofSeconds(30));
        closeables.add(publisher);
        return publisher;
    }

    /** A record pipeline for {@code input} whose dead letters go to its dead-letter topic. */
    private RecordPipeline pipeline(String input, RetryBudget budget, SimpleMeterRegistry meters) {
        return new RecordPipeline(new AvroEventDeserializer(registry), deadLetters(List.of(input)), budget, meters);
    }

    /** A dead-letter publisher, the dead-letter topics of {@code inputs} made here. */
    private KafkaDeadLetterPublisher deadLetters(List<String> inputs) {
        inputs.forEach(input -> stack.createTopic(Topics.deadLetter(input), 1));
        KafkaDeadLetterPublisher deadLetters = new KafkaDeadLetterPublisher(
                clients.producer("test-dead-letters", new ByteArraySerializer(), new ByteArraySerializer()),
                "stage-test", Duration.ofSeconds(30), Clock.systemUTC());
        closeables.add(deadLetters);
        return deadLetters;
    }

    /**
     * {@code real}, except that its first {@code failures} sends to {@code topic} fail at once with a retriable
     * timeout, as a send does whose batch expired while the broker was away.
     */
    @SuppressWarnings("unchecked")
    private static Producer<byte[], byte[]> timingOut(Producer<byte[], byte[]> real, String topic, AtomicInteger failures) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("send") && ((ProducerRecord<?, ?>) args[0]).topic().equals(topic)
                    && failures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                TimeoutException expired = new TimeoutException("simulated: the batch expired before it was sent");
                if (args.length > 1 && args[1] != null) {
                    ((Callback) args[1]).onCompletion(null, expired);
                }
                return CompletableFuture.failedFuture(expired);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(StageWorkerTest.class.getClassLoader(),
                new Class<?>[]{Producer.class}, handler);
    }

    private byte[] commitReceived(String topic) {
        try (AvroEventSerializer serializer = new AvroEventSerializer(registry)) {
            return serializer.serialize(topic, RecordPipelineTest.commitReceived());
        }
    }

    private void produce(String topic, List<String> keys) {
        try (Producer<byte[], byte[]> producer = clients.producer("test-input", new ByteArraySerializer(),
                new ByteArraySerializer())) {
            keys.forEach(key -> producer.send(new ProducerRecord<>(topic, bytes(key), bytes(key))));
        }
    }

    private void produceValues(String topic, List<byte[]> values) {
        try (Producer<byte[], byte[]> producer = clients.producer("test-input", new ByteArraySerializer(),
                new ByteArraySerializer())) {
            values.forEach(value -> producer.send(new ProducerRecord<>(topic, bytes("k"), value)));
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        return TopicReader.readToEnd(clients.settings(), topic, "read_committed");
    }

    private List<ConsumerRecord<byte[], byte[]>> readUncommitted(String topic) {
        return TopicReader.readToEnd(clients.settings(), topic, "read_uncommitted");
    }

    private long endOffset(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> reader = clients.consumer("test-end", new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return reader.endOffsets(List.of(partition)).get(partition);
        }
    }

    private long committedOffset(String group, String topic) {
        try (Admin admin = clients.admin("test-offsets")) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            return committed == null ? -1 : committed.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double fetchMetric(KafkaConsumer<?, ?> consumer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            if (metric.getKey().name().equals(name)
                    && metric.getKey().group().equals("consumer-fetch-manager-metrics")
                    && !metric.getKey().tags().containsKey("topic")) {
                return ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("the consumer has no metric " + name);
    }

    private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(StageWorkerTest::key).toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A stage made of a lambda, counting what the worker tells it. */
    private static class TestListener implements StageListener {

        private final StageSubscription subscription;
        private final Consumer<ConsumerRecord<byte[], byte[]>> receive;
        final AtomicInteger abortions = new AtomicInteger();
        final List<TopicPartition> assigned = new CopyOnWriteArrayList<>();
        volatile Runnable aborted = () -> { };

        TestListener(StageSubscription subscription, Consumer<ConsumerRecord<byte[], byte[]>> receive) {
            this.subscription = subscription;
            this.receive = receive;
        }

        @Override
        public StageSubscription subscription() {
            return subscription;
        }

        @Override
        public void receive(ConsumerRecord<byte[], byte[]> record) {
            receive.accept(record);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
        }

        @Override
        public void onAborted() {
            abortions.incrementAndGet();
            aborted.run();
        }
    }
}

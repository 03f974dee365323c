package io.slipway.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kafka's exactly-once hop on the broker the pipeline runs on: what Kafka's transactions cost a hop that consumes a
 * record, produces its copy and commits the consumed offset with it, as every Slipway stage does.
 *
 * <p>A copier copies an input topic to an output topic one record per transaction, the loop of Kafka's own
 * {@code org.apache.kafka.tools.TransactionalMessageCopier} with {@code --transaction-size 1} and its client settings:
 * consumer in a group with {@code isolation.level=read_committed}; poll → {@code beginTransaction} → send the copy →
 * {@code sendOffsetsToTransaction(offsets, consumer.groupMetadata())} → {@code commitTransaction}. It is written here
 * with Kafka's clients alone because the 3.9.1 tool cannot be used as it is: it takes no client properties, so it
 * cannot log in to the secured stack, and it copies only up to the input's end offset at its start, so it cannot be
 * fed one record at a time. The harness drives it closed-loop, as EndToEndLatency drives its topic: it sends a record
 * (acks=all) to the input topic, waits until it reads the copy (read_committed) from the output topic, notes the time
 * from the send to the copy read, and only then sends the next. Both topics have one partition; the harness creates
 * them and deletes them (and the copier's group) afterwards.
 *
 * <p>Prints its figures as EndToEndLatency does ({@code Avg latency: … ms}, {@code Percentiles: 50th = …, 99th = …,
 * 99.9th = …}), but every figure with fractions, so {@link KafkaFloor#parse} reads them.
 */
final class KafkaEosFloor {

    private static final Duration COPY_TIMEOUT = Duration.ofSeconds(60);

    private KafkaEosFloor() {
    }

    /**
     * The summary of {@code millis}, one latency per message: the mean and the nearest-rank p50, p99 and p99.9, in
     * EndToEndLatency's two lines but with fractions.
     *
     * @throws IllegalArgumentException when there is no latency
     */
    static String summary(List<Double> millis) {
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no message was copied");
        }
        double average = millis.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return String.format(Locale.ROOT, "Avg latency: %.4f ms%n%nPercentiles: 50th = %.3f, 99th = %.3f, 99.9th = %.3f%n",
                average, Percentiles.of(millis, 0.5), Percentiles.of(millis, 0.99), Percentiles.of(millis, 0.999));
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args,
                "KafkaEosFloor --bootstrap=HOST:PORT [--kafka-config=FILE] [--messages=500] [--bytes=500]");
        Path config = options.containsKey("kafka-config") ? Path.of(options.required("kafka-config")) : null;
        Map<String, Object> kafka = KafkaSettings.of(options.required("bootstrap"), config);
        int messages = Integer.parseInt(options.getOrDefault("messages", "500"));
        int bytes = Integer.parseInt(options.getOrDefault("bytes", "500"));
        if (messages < 1 || bytes < 1) {
            throw new IllegalArgumentException("--messages and --bytes must be at least 1");
        }
        String name = "bench.kafka-eos-floor." + UUID.randomUUID();
        List<String> topics = List.of(name + ".in", name + ".out");
        List<Double> latencies;
        try (Admin admin = Admin.create(kafka)) {
            KafkaFloor.createTopics(admin, topics);
            try {
                latencies = measure(kafka, topics.get(0), topics.get(1), name, messages, bytes);
            } finally {
                deleteGroup(admin, name);
                KafkaFloor.deleteTopics(admin, topics);
            }
        }
        System.out.print(summary(latencies));
    }

    /**
     * Deletes the copier's consumer group, before its topics; a group the broker has already dropped (its offsets went
     * with its topic, or it never committed) is gone as well.
     */
    private static void deleteGroup(Admin admin, String group) throws Exception {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
        }
    }

    /** The copier running, {@code messages} records sent through it one at a time; each one's latency (ms). */
    private static List<Double> measure(Map<String, Object> kafka, String input, String output, String name,
                                        int messages, int bytes) throws Exception {
        Map<String, Object> producerSettings = new HashMap<>(kafka);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // The reader asks again at once when nothing is there, as EndToEndLatency's consumer does.
        Map<String, Object> readerSettings = new HashMap<>(kafka);
        readerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        readerSettings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 0);
        readerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        readerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        readerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);

        Copier copier = new Copier(kafka, input, output, name);
        Thread copying = new Thread(copier, "eos-floor-copier");
        List<Double> latencies = new ArrayList<>(messages);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings);
             KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(readerSettings)) {
            TopicPartition copies = new TopicPartition(output, 0);
            reader.assign(List.of(copies));
            reader.seekToBeginning(List.of(copies));
            reader.position(copies);
            copying.start();
            copier.awaitAssigned();
            byte[] value = new byte[bytes];
            Arrays.fill(value, (byte) 'x');
            for (int i = 0; i < messages; i++) {
                byte[] key = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(input, key, value)).get();
                awaitCopy(reader, copier, key, sent);
                latencies.add((System.nanoTime() - sent) / 1e6);
            }
        } finally {
            copier.stop();
            copying.join(TimeUnit.SECONDS.toMillis(30));
        }
        copier.rethrow();
        return latencies;
    }

    /** Reads the output topic until the copy of the record {@code key} is there. */
    private static void awaitCopy(KafkaConsumer<byte[], byte[]> reader, Copier copier, byte[] key, long sent) {
        while (true) {
            for (ConsumerRecord<byte[], byte[]> copy : reader.poll(Duration.ofMillis(100))) {
                if (Arrays.equals(copy.key(), key)) {
                    return;
                }
                throw new IllegalStateException("read the copy of record " + new String(copy.key(),
                        StandardCharsets.UTF_8) + " while waiting for " + new String(key, StandardCharsets.UTF_8));
            }
            copier.rethrow();
            if (System.nanoTime() - sent > COPY_TIMEOUT.toNanos()) {
                throw new IllegalStateException("no copy of record " + new String(key, StandardCharsets.UTF_8)
                        + " within " + COPY_TIMEOUT);
            }
        }
    }

    /** TransactionalMessageCopier's loop with {@code --transaction-size 1}, on its own thread. */
    private static final class Copier implements Runnable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaProducer<byte[], byte[]> producer;
        private final String input;
        private final String output;
        private final CountDownLatch assigned = new CountDownLatch(1);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private volatile boolean stopped;

        Copier(Map<String, Object> kafka, String input, String output, String name) {
            this.input = input;
            this.output = output;
            // TransactionalMessageCopier's consumer settings, with its group mode (subscribe) and one record per poll.
            Map<String, Object> consumerSettings = new HashMap<>(kafka);
            consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, name);
            consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerSettings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
            consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerSettings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
            consumerSettings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 180_000);
            consumerSettings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
            consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            // TransactionalMessageCopier's producer settings (transaction timeout: its default, one minute).
            Map<String, Object> producerSettings = new HashMap<>(kafka);
            producerSettings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name);
            producerSettings.put(ProducerConfig.BATCH_SIZE_CONFIG, 512);
            producerSettings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            producerSettings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
            producerSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producerSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            this.consumer = new KafkaConsumer<>(consumerSettings);
            this.producer = new KafkaProducer<>(producerSettings);
        }

        @Override
        public void run() {
            try (consumer; producer) {
                producer.initTransactions();
                consumer.subscribe(List.of(input), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            assigned.countDown();
                        }
                    }
                });
                while (!stopped) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        producer.beginTransaction();
                        producer.send(new ProducerRecord<>(output, record.key(), record.value()));
                        producer.sendOffsetsToTransaction(
                                Map.of(new TopicPartition(record.topic(), record.partition()),
                                        new OffsetAndMetadata(record.offset() + 1)),
                                consumer.groupMetadata());
                        producer.commitTransaction();
                    }
                }
            } catch (WakeupException e) {
                if (!stopped) {
                    failure.set(e);
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }

        /** Waits until the group gave the copier the input partition, so no latency includes joining the group. */
        void awaitAssigned() throws InterruptedException {
            long deadline = System.nanoTime() + COPY_TIMEOUT.toNanos();
            while (!assigned.await(100, TimeUnit.MILLISECONDS)) {
                rethrow();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the copier was not assigned the input topic within " + COPY_TIMEOUT);
                }
            }
        }

        void stop() {
            stopped = true;
            consumer.wakeup();
        }

        /** Throws what ended the copier's loop, if anything did. */
        void rethrow() {
            Exception e = failure.get();
            if (e != null) {
                throw new IllegalStateException("the copier failed", e);
            }
        }
    }
}

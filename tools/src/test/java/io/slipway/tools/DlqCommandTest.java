package io.slipway.tools;

import io.slipway.common.kafka.DeadLetterHeaders;
import io.slipway.common.kafka.DeadLetterReason;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.KafkaDeadLetterPublisher;
import io.slipway.common.kafka.TopicTail;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./slipway dlq} against a real broker: dead letters written the way the services write them. */
class DlqCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SharedDevStack stack = SharedDevStack.get();
    private final KafkaClients clients = KafkaClients.of(Map.of("bootstrap.servers", stack.bootstrapServers()));
    private final String topic = stack.uniqueTopic("test.dlq");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    DlqCommandTest() {
        stack.createTopic(topic, 1);
        stack.createTopic(Topics.deadLetter(topic), 1);
    }

    @Test
    void listsTheDeadLettersOfATopicWithWhereTheyCameFromAndWhy() {
        deadLetter(7, "org/app", new byte[]{0, 0, 0, 0, 1, (byte) 0x80});

        int status = run("list", topic);

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out)).contains("0@0").contains("DESERIALIZATION").contains("test-service")
                .contains(topic + "-0@7").contains("org/app")
                .contains(SerializationException.class.getName() + ": Cannot read strings longer than 4194304 bytes");
    }

    @Test
    void replaysADeadLetterToItsTopicWithItsOwnKeyValueAndHeadersAndSaysWhereItCameFrom() {
        byte[] value = {0, 0, 0, 0, 1, 2, 3};
        deadLetter(3, "org/first", new byte[]{9});
        deadLetter(4, "org/app", value);

        int status = run("replay", Topics.deadLetter(topic), "0", "1");

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out)).contains("Replayed " + Topics.deadLetter(topic) + "-0@1 to " + topic + "-0@0");
        List<ConsumerRecord<byte[], byte[]>> replayed = read(topic);
        assertThat(replayed).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = replayed.get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("org/app");
        assertThat(record.value()).isEqualTo(value);
        assertThat(header(record, "trace-id")).contains("trace-4");
        assertThat(header(record, DeadLetterHeaders.REPLAYED_FROM)).contains(Topics.deadLetter(topic) + "-0@1");
        assertThat(record.headers().toArray()).extracting(Header::key)
                .noneMatch(key -> key.startsWith(DeadLetterHeaders.PREFIX));
    }

    @Test
    void replaysNothingForAnOffsetTheDeadLetterTopicDoesNotHold() {
        deadLetter(1, "org/app", new byte[]{1});

        int status = run("replay", topic, "0", "5");
        int otherPartition = run("replay", topic, "3", "0");

        assertThat(status).isEqualTo(1);
        assertThat(otherPartition).isEqualTo(1);
        assertThat(text(err)).contains("has no record at partition 0, offset 5")
                .contains("has no record at partition 3, offset 0");
        assertThat(read(topic)).isEmpty();
    }

    @Test
    void refusesToReplayARecordThatIsNotADeadLetterOfTheTopicItWouldGoTo() throws Exception {
        try (Producer<byte[], byte[]> raw = clients.producer("test-dlq-raw", new ByteArraySerializer(),
                new ByteArraySerializer())) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, Topics.TESTS.getBytes(StandardCharsets.UTF_8));
            raw.send(new ProducerRecord<>(Topics.deadLetter(topic), null, bytes("org/app"), bytes("forged"), headers))
                    .get(30, TimeUnit.SECONDS);
        }

        int status = run("replay", topic, "0", "0");

        assertThat(status).isEqualTo(1);
        assertThat(text(err)).contains("is not a dead letter of " + topic).contains(Topics.TESTS);
        assertThat(read(topic)).isEmpty();
    }

    @Test
    void countsTheRecordsOfEveryDeadLetterTopic() {
        String images = Topics.deadLetter(Topics.IMAGES);
        stack.createTopic(images, 1);
        long before = read(images).size();
        deadLetterTo(Topics.IMAGES, 0, "org/app", new byte[]{0});

        int status = run("list");

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out)).containsPattern(images.replace(".", "\\.") + " +" + (before + 1) + "\\n");
    }

    @Test
    void countsAndListsTheDeadLettersStagesWroteInTransactionsNotTheirMarkersNorAbortedOnes() {
        String from = Topics.ARTIFACTS;
        String dlq = Topics.deadLetter(from);
        stack.createTopic(dlq, 1);
        long before = read(dlq).size();
        Producer<byte[], byte[]> transactional = clients.transactionalProducer("test-dlq-transactional",
                "test-dlq-" + stack.uniqueTopic("transactional"));
        try (KafkaDeadLetterPublisher publisher = new KafkaDeadLetterPublisher(transactional, "test-service", TIMEOUT,
                Clock.systemUTC())) {
            transactional.initTransactions();
            // As stages write them: each in the transaction of the record's offset, which adds a commit marker.
            transactional.beginTransaction();
            publisher.publish(letterOf(from, 9001), DeadLetterReason.PROCESSING, new IllegalStateException("one"));
            publisher.publish(letterOf(from, 9002), DeadLetterReason.PROCESSING, new IllegalStateException("two"));
            transactional.commitTransaction();
            transactional.beginTransaction();
            publisher.publish(letterOf(from, 9003), DeadLetterReason.PROCESSING, new IllegalStateException("aborted"));
            transactional.abortTransaction();
            transactional.beginTransaction();
            publisher.publish(letterOf(from, 9004), DeadLetterReason.PROCESSING, new IllegalStateException("four"));
            transactional.commitTransaction();
        }

        assertThat(run("list")).as(text(err)).isZero();
        // Seven more offsets: four letters, one of them aborted, and three commit markers; three more dead letters.
        assertThat(text(out)).containsPattern(dlq.replace(".", "\\.") + " +" + (before + 3) + "\\n");
        out.reset();
        assertThat(run("list", from)).as(text(err)).isZero();
        assertThat(text(out)).contains(from + "-0@9001").contains(from + "-0@9002").contains(from + "-0@9004")
                .doesNotContain(from + "-0@9003");
    }

    @Test
    void namesATopicThatDoesNotExistAndAWrongCommandLineGetsTheUsage() {
        assertThat(run("list", "no.such.topic")).isEqualTo(1);
        assertThat(text(err)).contains("there is no topic no.such.topic.dlq");
        assertThat(run("replay", topic, "zero", "1")).isEqualTo(2);
        assertThat(run("purge", topic)).isEqualTo(2);
        assertThat(text(err)).contains(DlqCommand.USAGE);
    }

    private static ConsumerRecord<byte[], byte[]> letterOf(String from, long offset) {
        byte[] value = {1, 2, 3};
        return new ConsumerRecord<>(from, 0, offset, 1_700_000_000_000L, TimestampType.CREATE_TIME, 7, value.length,
                bytes("org/app"), value, new RecordHeaders(), Optional.empty());
    }

    private void deadLetter(long offset, String key, byte[] value) {
        deadLetterTo(topic, offset, key, value);
    }

    /** What a service's record pipeline does with a record it cannot decode. */
    private void deadLetterTo(String from, long offset, String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", bytes("trace-" + offset));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(from, 0, offset, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, key.length(), value.length, bytes(key), value, headers, Optional.empty());
        try (KafkaDeadLetterPublisher publisher = new KafkaDeadLetterPublisher(clients.producer("test-dlq",
                new ByteArraySerializer(), new ByteArraySerializer()), "test-service", TIMEOUT, Clock.systemUTC())) {
            publisher.publish(record, DeadLetterReason.DESERIALIZATION, new SerializationException(
                    "Cannot read strings longer than 4194304 bytes"));
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String name) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("test-dlq-reader", new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicTail.readToEnd(consumer, name, TIMEOUT, records::add);
        }
        return records;
    }

    private static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return DlqCommand.run(List.of(args), Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}

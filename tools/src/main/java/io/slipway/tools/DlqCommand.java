package io.slipway.tools;

import io.slipway.common.kafka.DeadLetterHeaders;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TopicTail;
import io.slipway.common.text.TerminalText;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./slipway dlq} shows the dead-letter topics and replays one dead letter after a fix: {@code dlq list} counts
 * the records of every {@code <topic>.dlq}, {@code dlq list <topic>} lists one's records with their provenance, and
 * {@code dlq replay <topic> <partition> <offset>} writes that record back to the topic it came from, with its own key,
 * value and headers, without the dead-letter headers and with {@link DeadLetterHeaders#REPLAYED_FROM} naming the dead
 * letter. It reads with no consumer group and commits nothing, and reaches Kafka as {@code ./slipway runs} does
 * ({@code KAFKA_<PROPERTY>} variables or {@code --command-config}); replaying needs a principal that may write the
 * original topic.
 */
public final class DlqCommand implements AutoCloseable {

    static final String USAGE = "usage: dlq list [<topic>] | dlq replay <topic> <partition> <offset>"
            + " [--command-config <file>]   (<topic>: a topic or its .dlq)";

    private static final Duration READ_LIMIT = Duration.ofSeconds(30);
    private static final int MAX_SHOWN = 300;

    private final KafkaClients clients;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PrintStream out;

    DlqCommand(Map<String, Object> kafka, PrintStream out) {
        this.clients = KafkaClients.of(kafka);
        this.consumer = clients.consumer("slipway-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.out = out;
    }

    /** Runs {@code args} (the words after {@code dlq}); returns the exit status. */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Optional<RunsCommand.Words> parsed = RunsCommand.Words.of(args, USAGE, err);
        if (parsed.isEmpty()) {
            return 2;
        }
        List<String> words = parsed.get().words();
        Path commandConfig = parsed.get().commandConfig();
        boolean list = words.size() <= 2 && (words.isEmpty() || words.get(0).equals("list"));
        boolean replay = words.size() == 4 && words.get(0).equals("replay") && words.get(2).matches("[0-9]{1,9}")
                && words.get(3).matches("[0-9]{1,18}");
        if (!list && !replay) {
            err.println(USAGE);
            return 2;
        }
        Optional<RunsCommand.Connection> configured = RunsCommand.Connection.of(environment, commandConfig, err);
        if (configured.isEmpty()) {
            return 2;
        }
        RunsCommand.Connection connection = configured.get();
        try (DlqCommand command = new DlqCommand(connection.kafka(), out)) {
            if (replay) {
                return command.replay(deadLetterTopic(words.get(1)), Integer.parseInt(words.get(2)),
                        Long.parseLong(words.get(3)), err) ? 0 : 1;
            }
            if (words.size() == 2) {
                return command.list(deadLetterTopic(words.get(1)), err) ? 0 : 1;
            }
            command.summary();
            return 0;
        } catch (KafkaException e) {
            err.println("slipway: Kafka at " + connection.bootstrapServers() + " refused or did not answer ("
                    + e.getMessage() + "); is the stack up (./slipway status), and may this principal do that?");
            return 1;
        }
    }

    /** The dead-letter topic named by {@code topic}, which may be the topic itself or its {@code .dlq}. */
    static String deadLetterTopic(String topic) {
        return topic.endsWith(Topics.DEAD_LETTER_SUFFIX) ? topic : Topics.deadLetter(topic);
    }

    /** Prints how many records each existing dead-letter topic of a Slipway topic holds. */
    void summary() {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(READ_LIMIT);
        out.printf("%-40s %8s%n", "DEAD-LETTER TOPIC", "RECORDS");
        for (String topic : Topics.allTopics()) {
            String dlq = Topics.deadLetter(topic);
            List<PartitionInfo> partitions = existing.get(dlq);
            if (partitions != null) {
                out.printf("%-40s %8d%n", dlq, count(partitions));
            }
        }
    }

    /** Prints the records of one dead-letter topic, oldest first per partition; false when the topic does not exist. */
    boolean list(String dlq, PrintStream err) {
        if (!exists(dlq, err)) {
            return false;
        }
        int[] shown = {0};
        TopicTail.readToEnd(consumer, dlq, READ_LIMIT, record -> {
            if (shown[0]++ == 0) {
                out.printf("%-14s %-24s %-17s %-18s %-40s %s%n", "PARTITION@OFF", "FAILED AT", "REASON", "SERVICE",
                        "FROM", "KEY / ERROR");
            }
            out.printf("%-14s %-24s %-17s %-18s %-40s %s%n    %s: %s%n", record.partition() + "@" + record.offset(),
                    header(record, DeadLetterHeaders.FAILED_AT).orElse("?"),
                    header(record, DeadLetterHeaders.REASON).orElse("?"),
                    header(record, DeadLetterHeaders.SERVICE).orElse("?"),
                    header(record, DeadLetterHeaders.ORIGINAL_TOPIC).orElse("?") + "-"
                            + header(record, DeadLetterHeaders.ORIGINAL_PARTITION).orElse("?") + "@"
                            + header(record, DeadLetterHeaders.ORIGINAL_OFFSET).orElse("?"),
                    record.key() == null ? "(no key)" : shown(new String(record.key(), StandardCharsets.UTF_8)),
                    header(record, DeadLetterHeaders.EXCEPTION_CLASS).orElse("?"),
                    header(record, DeadLetterHeaders.EXCEPTION_MESSAGE).orElse(""));
        });
        if (shown[0] == 0) {
            out.println(dlq + " holds no records.");
        }
        return true;
    }

    /**
     * Writes the dead letter at {@code dlq}-{@code partition}@{@code offset} back to its original topic; false (with
     * the reason on {@code err}) when there is no such record or it is not a dead letter of the topic it names.
     */
    boolean replay(String dlq, int partition, long offset, PrintStream err) {
        if (!exists(dlq, err)) {
            return false;
        }
        int partitions = consumer.partitionsFor(dlq, READ_LIMIT).size();
        Optional<ConsumerRecord<byte[], byte[]>> found = partition < partitions
                ? read(new TopicPartition(dlq, partition), offset) : Optional.empty();
        if (found.isEmpty()) {
            err.println("slipway: " + dlq + " has no record at partition " + partition + ", offset " + offset
                    + " (see ./slipway dlq list " + dlq + ")");
            return false;
        }
        ConsumerRecord<byte[], byte[]> letter = found.get();
        String original = dlq.substring(0, dlq.length() - Topics.DEAD_LETTER_SUFFIX.length());
        Optional<String> named = header(letter, DeadLetterHeaders.ORIGINAL_TOPIC);
        if (named.isEmpty() || !named.get().equals(original)) {
            err.println("slipway: " + dlq + "-" + partition + "@" + offset + " is not a dead letter of " + original
                    + " (its " + DeadLetterHeaders.ORIGINAL_TOPIC + " header is "
                    + named.map(DlqCommand::shown).orElse("missing") + "); nothing replayed");
            return false;
        }
        Headers headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                headers.add(header);
            }
        }
        headers.add(DeadLetterHeaders.REPLAYED_FROM,
                (dlq + "-" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
        try (Producer<byte[], byte[]> producer = clients.producer("slipway-dlq-replay", new ByteArraySerializer(),
                new ByteArraySerializer())) {
            RecordMetadata written = producer.send(new ProducerRecord<>(original, null, letter.key(), letter.value(),
                    headers)).get(READ_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            out.println("Replayed " + dlq + "-" + partition + "@" + offset + " to " + written.topic() + "-"
                    + written.partition() + "@" + written.offset() + ".");
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("slipway: interrupted; the record may or may not have been replayed");
            return false;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            err.println("slipway: could not write to " + original + ": " + cause.getMessage()
                    + " (replaying needs a principal that may write it)");
            return false;
        }
    }

    private boolean exists(String dlq, PrintStream err) {
        if (consumer.listTopics(READ_LIMIT).containsKey(dlq)) {
            return true;
        }
        err.println("slipway: there is no topic " + dlq + " (./slipway dlq list shows the dead-letter topics)");
        return false;
    }

    /**
     * The dead letters the partitions hold, counted as read (committed records only): not their end offsets, since
     * stages write dead letters in transactions and each transaction's marker takes an offset too.
     */
    private long count(List<PartitionInfo> partitions) {
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        Map<TopicPartition, Long> end = consumer.endOffsets(all, READ_LIMIT);
        consumer.assign(all);
        consumer.seekToBeginning(all);
        long count = 0;
        Instant deadline = Instant.now().plus(READ_LIMIT);
        while (all.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && Instant.now().isBefore(deadline)) {
            count += consumer.poll(Duration.ofMillis(200)).count();
        }
        return count;
    }

    /** The record at {@code offset}, read until the partition's end as the read began. */
    private Optional<ConsumerRecord<byte[], byte[]>> read(TopicPartition partition, long offset) {
        long end = consumer.endOffsets(List.of(partition), READ_LIMIT).getOrDefault(partition, 0L);
        if (offset >= end) {
            return Optional.empty();
        }
        consumer.assign(List.of(partition));
        consumer.seek(partition, offset);
        Instant deadline = Instant.now().plus(READ_LIMIT);
        while (consumer.position(partition) < end && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() == offset) {
                    return Optional.of(record);
                }
                if (record.offset() > offset) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(shown(new String(header.value(), StandardCharsets.UTF_8)));
    }

    /** Text from a record (anyone's) made safe for one terminal line, and clipped. */
    private static String shown(String text) {
        String line = TerminalText.strip(text).replace('\n', ' ').replace('\t', ' ');
        return line.length() <= MAX_SHOWN ? line : line.substring(0, MAX_SHOWN) + "…";
    }

    @Override
    public void close() {
        consumer.close();
    }
}

package io.slipway.tools;

import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code ./slipway runs} lists recent runs with stage, outcome and duration; {@code ./slipway watch <runId>}
 * follows one run live until it ends. Both replay the pipeline topics (no consumer group, nothing committed),
 * so they never disturb the services and show exactly what the event log holds.
 */
public final class RunsCommand {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroEventDeserializer deserializer;
    private final RunsView view = new RunsView();
    private final PrintStream out;

    RunsCommand(String bootstrap, String registryUrl, PrintStream out) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deserializer = new AvroEventDeserializer(new SchemaRegistryClient(registryUrl));
        this.out = out;
    }

    public static void main(String[] args) {
        String bootstrap = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String registry = env("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
        if (args.length == 0 || !(args[0].equals("runs") || (args[0].equals("watch") && args.length == 2))) {
            System.err.println("usage: runs [limit] | watch <runId>");
            System.exit(2);
        }
        RunsCommand command = new RunsCommand(bootstrap, registry, System.out);
        try {
            if (args[0].equals("runs")) {
                command.list(args.length > 1 ? Integer.parseInt(args[1]) : 20);
            } else {
                System.exit(command.watch(args[1], Duration.ofMinutes(30)) ? 0 : 1);
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            System.err.println("slipway: cannot read the pipeline topics from " + bootstrap + " (" + e.getMessage()
                    + "); is the stack up? (./slipway status)");
            System.exit(1);
        } finally {
            command.consumer.close();
        }
    }

    /** Prints the most recent runs, newest first. */
    void list(int limit) {
        readToEnd();
        List<RunSummary> runs = view.recent(limit);
        if (runs.isEmpty()) {
            out.println("No runs yet.");
            return;
        }
        out.printf("%-36s %3s %-28s %-20s %-12s %-8s %-10s %8s%n", "RUN", "#", "REPOSITORY", "REF", "SHA", "STAGE",
                "OUTCOME", "DURATION");
        for (RunSummary r : runs) {
            out.printf("%-36s %3d %-28s %-20s %-12s %-8s %-10s %7.1fs%n", r.runId(), r.attempt(),
                    clip(r.repository(), 28), clip(r.ref().replaceFirst("^refs/(heads|tags)/", ""), 20), r.shortSha(),
                    r.stage(), r.outcome(), r.duration().toMillis() / 1000.0);
        }
    }

    /** Follows a run until its latest attempt ends; returns true when it was published. */
    boolean watch(String runId, Duration timeout) {
        assignAll();
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Optional<RunSummary> changed = decode(record).flatMap(view::apply)
                        .filter(r -> r.runId().startsWith(runId));
                changed.ifPresent(r -> out.printf("%s  attempt %d  %-8s %-10s %s%n", r.lastEventAt(), r.attempt(),
                        r.stage(), r.outcome(), r.detail()));
            }
            List<RunSummary> attempts = view.run(runId);
            if (!attempts.isEmpty() && attempts.get(attempts.size() - 1).finished() && caughtUp()) {
                return attempts.get(attempts.size() - 1).outcome().equals("PUBLISHED");
            }
        }
        out.println("Still running after " + timeout + ".");
        return false;
    }

    private void readToEnd() {
        assignAll();
        while (!caughtUp()) {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> decode(record).ifPresent(view::apply));
        }
    }

    private void assignAll() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : Topics.pipelineTopics()) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    private boolean caughtUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private Optional<SpecificRecord> decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.ofNullable(deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RuntimeException e) {
            // Undecodable records are the consumers' dead letters to report, not this view's.
            return Optional.empty();
        }
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

package io.slipway.tools;

import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TopicTail;
import io.slipway.events.EnvironmentState;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./slipway envs} lists what runs in each environment for each repository, and the promotions that wait, read
 * from deployer-service's compacted state topic ({@link Topics#DEPLOYER_STATE}) with no consumer group and nothing
 * committed. It reaches Kafka and the schema registry as {@code ./slipway runs} does ({@code KAFKA_<PROPERTY>},
 * {@code SCHEMA_REGISTRY_*} or {@code --command-config}). A record it cannot decode is skipped and counted.
 */
public final class EnvsCommand implements AutoCloseable {

    static final String USAGE = "usage: envs [--command-config <file>]";

    private static final Duration READ_LIMIT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroEventDeserializer deserializer;
    private final PrintStream out;

    EnvsCommand(RunsCommand.Connection connection, PrintStream out) {
        this.consumer = KafkaClients.of(connection.kafka()).consumer("slipway-envs", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.deserializer = new AvroEventDeserializer(new SchemaRegistryClient(connection.registry()));
        this.out = out;
    }

    /** Runs {@code args} (the words after {@code envs}); returns the exit status. */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Optional<RunsCommand.Words> words = RunsCommand.Words.of(args, USAGE, err);
        if (words.isEmpty()) {
            return 2;
        }
        if (!words.get().words().isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        return RunsCommand.withConnection(environment, words.get().commandConfig(), err, connection -> {
            try (EnvsCommand command = new EnvsCommand(connection, out)) {
                command.list(Instant.now());
                return 0;
            }
        });
    }

    /** Prints what runs where and what waits, as of {@code now}. */
    void list(Instant now) {
        if (!consumer.listTopics(READ_LIMIT).containsKey(Topics.DEPLOYER_STATE)) {
            out.println("No deployments yet: " + Topics.DEPLOYER_STATE
                    + " does not exist (deployer-service has not started on this cluster).");
            return;
        }
        EnvironmentsView view = new EnvironmentsView();
        int[] unreadable = {0};
        TopicTail.readToEnd(consumer, Topics.DEPLOYER_STATE, READ_LIMIT, record -> {
            if (record.key() == null) {
                unreadable[0]++;
                return;
            }
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                view.apply(key, null);
                return;
            }
            RunsCommand.decode(deserializer, record).filter(EnvironmentState.class::isInstance)
                    .map(EnvironmentState.class::cast)
                    .ifPresentOrElse(state -> view.apply(key, state), () -> unreadable[0]++);
        });
        view.print(out, now);
        if (unreadable[0] > 0) {
            out.println("(" + unreadable[0] + " record(s) of " + Topics.DEPLOYER_STATE + " could not be read and were"
                    + " skipped)");
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}

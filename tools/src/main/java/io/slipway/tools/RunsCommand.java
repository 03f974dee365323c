package io.slipway.tools;

import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TopicTail;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.RegistrySettings;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.serde.SchemaRegistryAccessException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./slipway runs} lists recent runs with what they are of (branch, tag, or a request: {@code #12 → main},
 * {@code !12 → main}), stage, outcome and duration; {@code ./slipway watch <runId>} follows one run live until it
 * ends. Both replay the pipeline topics (no consumer group, nothing committed),
 * so they never disturb the services and show exactly what the event log holds. They reach Kafka and the schema
 * registry with the services' settings: {@code KAFKA_<PROPERTY>} environment variables, {@code SCHEMA_REGISTRY_URL}
 * and {@code SCHEMA_REGISTRY_USER_INFO}, overridden by a client properties file given with {@code --command-config}
 * (as Kafka's own tools take it), which may also hold {@code schema.registry.url} and {@code basic.auth.user.info}.
 */
public final class RunsCommand implements AutoCloseable {

    static final String USAGE = "usage: runs [limit] [--command-config <file>]"
            + " | watch <runId> [--until-deployed <environment>] [--timeout <seconds>] [--command-config <file>]";

    private static final Duration WATCH_LIMIT = Duration.ofMinutes(30);

    private static final Duration READ_LIMIT = Duration.ofSeconds(30);
    private static final String REGISTRY_URL = "schema.registry.url";
    private static final String REGISTRY_USER_INFO = "basic.auth.user.info";

    /** Where the command reads from: Kafka client settings and the schema registry. */
    record Connection(Map<String, Object> kafka, RegistrySettings registry) {

        /**
         * The environment's settings, then the {@code commandConfig} file's (which win); defaults are the dev
         * stack's addresses.
         *
         * @throws IOException when the file cannot be read
         * @throws IllegalArgumentException when the registry URL is not one
         */
        static Connection of(Map<String, String> environment, Path commandConfig) throws IOException {
            Map<String, Object> kafka = new HashMap<>();
            kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
            kafka.putAll(KafkaClients.fromEnvironment(environment));
            String url = environment.getOrDefault("SCHEMA_REGISTRY_URL", "");
            String userInfo = environment.getOrDefault("SCHEMA_REGISTRY_USER_INFO", "");
            if (commandConfig != null) {
                Map<String, String> file = new HashMap<>(KafkaClients.fromFile(commandConfig));
                url = file.getOrDefault(REGISTRY_URL, url);
                userInfo = file.getOrDefault(REGISTRY_USER_INFO, userInfo);
                file.remove(REGISTRY_URL);
                file.remove(REGISTRY_USER_INFO);
                kafka.putAll(file);
            }
            RegistrySettings registry = RegistrySettings.of(url.isBlank() ? "http://127.0.0.1:8081" : url);
            return new Connection(Map.copyOf(kafka), userInfo.isBlank() ? registry : registry.withBasicAuth(userInfo));
        }

        /** As {@link #of(Map, Path)}; when that fails, says why on {@code err} and is empty. */
        static Optional<Connection> of(Map<String, String> environment, Path commandConfig, PrintStream err) {
            try {
                return Optional.of(of(environment, commandConfig));
            } catch (IOException e) {
                err.println("slipway: cannot read the client properties file " + commandConfig + ": " + e);
            } catch (IllegalArgumentException e) {
                err.println("slipway: " + e.getMessage());
            }
            return Optional.empty();
        }

        String bootstrapServers() {
            return String.valueOf(kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicTail<byte[], byte[]> topics;
    private final AvroEventDeserializer deserializer;
    private final RunsView view = new RunsView();
    private final PrintStream out;

    RunsCommand(Connection connection, PrintStream out) {
        this.consumer = KafkaClients.of(connection.kafka()).consumer("slipway-runs", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.topics = new TopicTail<>(consumer, Topics.pipelineTopics());
        this.deserializer = new AvroEventDeserializer(new SchemaRegistryClient(connection.registry()));
        this.out = out;
    }

    /** Runs the command line {@code args}; returns the exit status. */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(args);
        Path commandConfig;
        String environmentName;
        String seconds;
        try {
            commandConfig = takeCommandConfig(words);
            environmentName = takeOption(words, "--until-deployed");
            seconds = takeOption(words, "--timeout");
        } catch (IllegalArgumentException e) {
            err.println(USAGE);
            return 2;
        }
        boolean runs = !words.isEmpty() && words.get(0).equals("runs") && words.size() <= 2
                && (words.size() == 1 || words.get(1).matches("[1-9][0-9]{0,5}"))
                && environmentName == null && seconds == null;
        boolean watch = words.size() == 2 && words.get(0).equals("watch")
                && (seconds == null || seconds.matches("[1-9][0-9]{0,6}"));
        if (!runs && !watch) {
            err.println(USAGE);
            return 2;
        }
        Duration timeout = seconds == null ? WATCH_LIMIT : Duration.ofSeconds(Long.parseLong(seconds));
        return withConnection(environment, commandConfig, err, connection -> {
            try (RunsCommand command = new RunsCommand(connection, out)) {
                if (watch) {
                    return command.watch(words.get(1), environmentName, timeout) ? 0 : 1;
                }
                command.list(words.size() > 1 ? Integer.parseInt(words.get(1)) : 20);
                return 0;
            }
        });
    }

    /**
     * Runs {@code command} with the connection the environment and {@code commandConfig} name; returns its status, 2
     * when the settings are wrong, 1 (saying why on {@code err}) when Kafka or the schema registry cannot be read.
     */
    static int withConnection(Map<String, String> environment, Path commandConfig, PrintStream err,
                              java.util.function.ToIntFunction<Connection> command) {
        Optional<Connection> configured = Connection.of(environment, commandConfig, err);
        if (configured.isEmpty()) {
            return 2;
        }
        Connection connection = configured.get();
        try {
            return command.applyAsInt(connection);
        } catch (SchemaRegistryAccessException e) {
            err.println("slipway: cannot read the event schemas from " + connection.registry().urls() + " ("
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
                    + "); check SCHEMA_REGISTRY_URL / SCHEMA_REGISTRY_USER_INFO");
            return 1;
        } catch (KafkaException e) {
            err.println("slipway: cannot read the topics from " + connection.bootstrapServers() + " ("
                    + e.getMessage() + "); is the stack up? (./slipway status)");
            return 1;
        }
    }

    /** A command's words without {@code --command-config <file>}, and that file (null without the option). */
    record Words(List<String> words, Path commandConfig) {

        /** Splits {@code args}; empty, after printing {@code usage} on {@code err}, when the option names no file. */
        static Optional<Words> of(List<String> args, String usage, PrintStream err) {
            List<String> words = new ArrayList<>(args);
            try {
                Path commandConfig = takeCommandConfig(words);
                return Optional.of(new Words(words, commandConfig));
            } catch (IllegalArgumentException e) {
                err.println(usage);
                return Optional.empty();
            }
        }
    }

    /**
     * Removes {@code --command-config <file>} from {@code words}; returns the file, or null without the option.
     *
     * @throws IllegalArgumentException when the option names no file
     */
    static Path takeCommandConfig(List<String> words) {
        String file = takeOption(words, "--command-config");
        return file == null ? null : Path.of(file);
    }

    /**
     * Removes {@code option} and its value from {@code words}; returns the value, or null without the option.
     *
     * @throws IllegalArgumentException when the option has no value
     */
    static String takeOption(List<String> words, String option) {
        int at = words.indexOf(option);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= words.size() || words.get(at + 1).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        String value = words.remove(at + 1);
        words.remove(at);
        return value;
    }

    /** Prints the most recent runs, newest first. */
    void list(int limit) {
        topics.catchUp(READ_LIMIT, record -> decode(record).ifPresent(view::apply));
        List<RunSummary> runs = view.recent(limit);
        if (runs.isEmpty()) {
            out.println("No runs yet.");
            return;
        }
        out.printf("%-36s %3s %-28s %-20s %-12s %-8s %8s %s%n", "RUN", "#", "REPOSITORY", "REF", "SHA", "STAGE",
                "DURATION", "OUTCOME");
        for (RunSummary r : runs) {
            out.printf("%-36s %3d %-28s %-20s %-12s %-8s %7.1fs %s%n", r.runId(), r.attempt(),
                    clip(r.repository(), 28), clip(r.subject(), 20), r.shortSha(),
                    r.stage(), r.duration().toMillis() / 1000.0, r.outcomeWithEnvironments());
        }
    }

    /**
     * Follows a run until its latest attempt ends, first saying what it is of (branch, tag or request); returns true
     * when it was published, or for a request's run, which ends at TEST, when its tests passed. With
     * {@code untilDeployed} it follows the run on after publication until it is deployed to that environment (true) or
     * fails or is superseded at DEPLOY (false).
     */
    boolean watch(String runId, String untilDeployed, Duration timeout) {
        Set<String> introduced = new HashSet<>();
        Map<String, RunSummary> shown = new HashMap<>();
        java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> show = record -> decode(record)
                .flatMap(view::apply).filter(r -> r.runId().startsWith(runId))
                // An event read out of pipeline order leaves the run as it was: nothing new to show.
                .filter(r -> !r.equals(shown.put(r.runId() + "#" + r.attempt(), r)))
                .ifPresent(r -> {
                    if (introduced.add(r.runId())) {
                        out.printf("Run %s of %s %s at %s%n", r.runId(), r.repository(), r.subject(), r.shortSha());
                    }
                    out.printf("%s  attempt %d  %-8s %-10s %s%n", r.lastEventAt(), r.attempt(), r.stage(),
                            r.outcome(), r.detail());
                });
        Instant until = Instant.now().plus(timeout);
        topics.catchUp(READ_LIMIT, show);
        while (Instant.now().isBefore(until)) {
            List<RunSummary> attempts = view.run(runId);
            RunSummary last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
            if (last != null && ended(last, untilDeployed) && topics.atEnd(READ_LIMIT)) {
                return untilDeployed == null ? last.published() || last.succeeded()
                        : last.environments().contains(untilDeployed) && last.outcome().equals("DEPLOYED");
            }
            topics.poll(Duration.ofMillis(200), show);
        }
        out.println(untilDeployed == null ? "Still running after " + timeout + "."
                : "Not deployed to " + untilDeployed + " after " + timeout + ".");
        return false;
    }

    /** Whether a watch of {@code r} is over: it finished, and with {@code untilDeployed} got there or cannot. */
    private static boolean ended(RunSummary r, String untilDeployed) {
        if (untilDeployed == null || !r.finished()) {
            return r.finished();
        }
        return r.environments().contains(untilDeployed) || !r.published()
                || r.stage().equals("DEPLOY") && !r.outcome().equals("DEPLOYED");
    }

    private Optional<SpecificRecord> decode(ConsumerRecord<byte[], byte[]> record) {
        return decode(deserializer, record);
    }

    /** The event a record holds; empty for a tombstone or a record that cannot be decoded, whatever decoding throws. */
    static Optional<SpecificRecord> decode(AvroEventDeserializer deserializer, ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.ofNullable(deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (SchemaRegistryAccessException e) {
            throw e;
        } catch (Throwable e) {
            // Undecodable records, whatever their decoding throws, are the consumers' dead letters to report, not
            // this view's; the records after them are shown.
            return Optional.empty();
        }
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    @Override
    public void close() {
        consumer.close();
    }
}

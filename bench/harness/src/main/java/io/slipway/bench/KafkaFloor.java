package io.slipway.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own latency on the broker the pipeline runs on, as Kafka's {@code kafka.tools.EndToEndLatency} measured it
 * (produce with acks=all → the consumer has the record); the floor every hop of the pipeline is compared with.
 * EndToEndLatency prints its average with fractions but its percentiles in whole milliseconds, cut down.
 * {@link KafkaEosFloor} prints Kafka's exactly-once hop in the same two lines, its percentiles with fractions; this
 * reads both.
 *
 * @param averageMillis the mean of all messages
 * @param p50Millis     the median (EndToEndLatency's: whole milliseconds)
 * @param p99Millis     the 99th percentile (EndToEndLatency's: whole milliseconds)
 * @param p999Millis    the 99.9th percentile (EndToEndLatency's: whole milliseconds)
 */
record KafkaFloor(double averageMillis, double p50Millis, double p99Millis, double p999Millis) {

    private static final Pattern AVERAGE = Pattern.compile("Avg latency:\\s*([0-9.]+)\\s*ms");
    private static final Pattern PERCENTILES = Pattern.compile(
            "Percentiles:\\s*50th\\s*=\\s*([0-9.]+),\\s*99th\\s*=\\s*([0-9.]+),\\s*99\\.9th\\s*=\\s*([0-9.]+)");

    /**
     * The figures of EndToEndLatency's (or {@link KafkaEosFloor}'s) standard output.
     *
     * @throws IllegalArgumentException when the output has no average or no percentiles line (the run failed)
     */
    static KafkaFloor parse(String output) {
        Matcher average = AVERAGE.matcher(output);
        Matcher percentiles = PERCENTILES.matcher(output);
        if (!average.find() || !percentiles.find()) {
            throw new IllegalArgumentException("the floor's output has no \"Avg latency\" and \"Percentiles\" "
                    + "lines (did it fail?):\n" + output);
        }
        return new KafkaFloor(Double.parseDouble(average.group(1)), Double.parseDouble(percentiles.group(1)),
                Double.parseDouble(percentiles.group(2)), Double.parseDouble(percentiles.group(3)));
    }

    /** {@code millis} as a multiple of Kafka's p50, such as {@code 2.1×}; empty when it is 0 (EndToEndLatency: under 1 ms). */
    Optional<String> timesP50(double millis) {
        return times(millis, p50Millis);
    }

    /** {@code millis} as a multiple of Kafka's p99, such as {@code 2.1×}; empty when it is 0 (EndToEndLatency: under 1 ms). */
    Optional<String> timesP99(double millis) {
        return times(millis, p99Millis);
    }

    private static Optional<String> times(double millis, double floor) {
        return floor <= 0 ? Optional.empty() : Optional.of(String.format(Locale.ROOT, "%.1f×", millis / floor));
    }

    /**
     * Creates ({@code create}) or deletes ({@code delete}) the one-partition topic EndToEndLatency measures on, so the
     * benchmark leaves no topic behind; connects as the client properties file says (the admin's on a secured stack).
     */
    public static void main(String[] args) throws InterruptedException, ExecutionException, TimeoutException {
        String usage = "KafkaFloor create|delete --bootstrap=HOST:PORT [--kafka-config=FILE] --topic=NAME";
        if (args.length == 0 || !List.of("create", "delete").contains(args[0])) {
            System.err.println("usage: " + usage);
            System.exit(2);
        }
        BenchOptions options = BenchOptions.parse(Arrays.copyOfRange(args, 1, args.length), usage);
        Path config = options.containsKey("kafka-config") ? Path.of(options.required("kafka-config")) : null;
        String topic = options.required("topic");
        try (Admin admin = Admin.create(KafkaSettings.of(options.required("bootstrap"), config))) {
            if (args[0].equals("create")) {
                createTopics(admin, List.of(topic));
            } else {
                deleteTopics(admin, List.of(topic));
            }
        }
    }

    /** Creates {@code topics} with one partition each (and one replica: the benchmark's broker is alone). */
    static void createTopics(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, 1, (short) 1)).toList()).all()
                .get(30, TimeUnit.SECONDS);
    }

    /** Deletes {@code topics}, so the benchmark leaves none behind. */
    static void deleteTopics(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
}

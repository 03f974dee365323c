package io.slipway.bench;

import io.slipway.schemas.RunIds;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline benchmark: drives a running Slipway whose builder, tester and deliverer use the dry-run backend
 * ({@code SLIPWAY_DRY_RUN=true}) with signed generic webhooks, and measures what is left — the orchestration:
 * <ul>
 *   <li>per hop, producer timestamp → the next stage taking the record, from the services' {@code slipway.hop}
 *       histograms (two {@code /prometheus} scrapes around the phase);</li>
 *   <li>the no-op pipeline end to end, webhook sent → notifier done (its Slack message and the success commit status
 *       received by the local sink), at a steady rate, with each run's time split by stage from its events' record
 *       timestamps;</li>
 *   <li>throughput: a burst of pipelines sent as fast as the webhook endpoint takes them, first webhook sent → last
 *       run notified.</li>
 * </ul>
 * Every run pushes its own branch ({@code bench-<phase>-<n>}), so no run supersedes another. Writes a Markdown
 * section for {@code docs/benchmarks.md}. Run through {@code bench/pipeline.sh}, which starts the stack.
 */
public final class PipelineBench {

    private static final List<String> HOP_TOPICS = List.of("slipway.trigger.intake", "slipway.commits",
            "slipway.images", "slipway.tests", "slipway.artifacts");
    /** The stage whose taking of a topic's records is the hop (other services may read the topic too). */
    private static final Map<String, String> CONSUMER = Map.of("slipway.trigger.intake", "trigger",
            "slipway.commits", "builder", "slipway.images", "tester", "slipway.tests", "deliverer",
            "slipway.artifacts", "notifier");
    private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(10);
    /** Issue #21's targets: each hop within this multiple of Kafka's own latency, and the figures below. */
    private static final double HOP_TIMES_KAFKA = 2.0;
    private static final double NO_OP_P50_MILLIS = 20;
    private static final double PIPELINES_PER_MINUTE = 30_000;
    private static final double WEBHOOKS_PER_SECOND = 2_000;
    private static final double IDLE_PERCENT_OF_A_CORE = 10;

    private final BenchOptions options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).build();
    private final URI trigger;
    private final byte[] secret;
    private final BenchSink sink;
    private final StageTimes stages;
    private final Map<String, URI> prometheus = new LinkedHashMap<>();
    private final String managementToken;
    /** How the harness reaches Kafka ({@code security.protocol}); on a stack of {@code ./slipway up}, as the services do. */
    private final String kafkaProtocol;
    private final int repositories;
    private final AtomicInteger rejected = new AtomicInteger();
    /** The dashboard followed while the pipelines run, or null without {@code --dashboard}. */
    private DashboardFollower dashboard;
    /** Kafka's own latency on the same broker ({@code --floor}: EndToEndLatency's output), or null. */
    private final KafkaFloor floor;
    /** Kafka's exactly-once hop on the same broker ({@code --eos-floor}: {@link KafkaEosFloor}'s output), or null. */
    private final KafkaFloor eosFloor;

    private PipelineBench(BenchOptions options) throws IOException {
        this.options = options;
        this.trigger = URI.create(required("trigger"));
        this.secret = required("secret").getBytes(StandardCharsets.UTF_8);
        this.repositories = Integer.parseInt(options.getOrDefault("repositories", "50"));
        for (String service : required("metrics").split(",")) {
            String[] nameAndUrl = service.split("=", 2);
            prometheus.put(nameAndUrl[0], URI.create(nameAndUrl[1]));
        }
        this.managementToken = Files.readString(Path.of(required("metrics-token-file"))).trim();
        this.sink = new BenchSink(Integer.parseInt(required("sink-port")));
        Path kafkaConfig = options.containsKey("kafka-config") ? Path.of(required("kafka-config")) : null;
        Map<String, Object> kafka = KafkaSettings.of(required("bootstrap"), kafkaConfig);
        this.kafkaProtocol = String.valueOf(kafka.getOrDefault("security.protocol", "PLAINTEXT"));
        this.stages = new StageTimes(kafka, required("registry"));
        this.floor = options.containsKey("floor") ? KafkaFloor.parse(Files.readString(Path.of(required("floor"))))
                : null;
        this.eosFloor = options.containsKey("eos-floor")
                ? KafkaFloor.parse(Files.readString(Path.of(required("eos-floor")))) : null;
    }

    /** One pipeline run the benchmark started: what it pushed and when. */
    private record Run(String runId, String repository, String sha, String ref, long sentAt) {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args,
                "PipelineBench --trigger=URL --secret=S --bootstrap=HOST:PORT [--kafka-config=FILE] "
                        + "--registry=URL --metrics=SERVICE=URL,… --metrics-token-file=FILE --sink-port=N --warmup=N [--latency=600] [--rate=20] "
                        + "[--throughput=3000] [--senders=8] [--repositories=50] [--dashboard=URL] [--out=FILE] [--csv=FILE] "
                        + "[--command=TEXT] [--floor=FILE --floor-command=TEXT] [--eos-floor=FILE --eos-floor-command=TEXT] "
                        + "[--idle-total=PERCENT]");
        PipelineBench bench = new PipelineBench(options);
        try {
            options.publish(bench.run());
        } finally {
            bench.sink.close();
            bench.stages.close();
            if (bench.dashboard != null) {
                bench.dashboard.close();
            }
        }
        System.exit(bench.rejected.get() == 0 ? 0 : 1);
    }

    private String run() throws Exception {
        int warmup = Integer.parseInt(required("warmup")); // bench/pipeline.sh says why it is as long as it is
        int latencyRuns = intOption("latency", 600);
        int rate = intOption("rate", 20);
        int burst = intOption("throughput", 3000);
        int senders = intOption("senders", 8);
        String loadBefore = loadAverage();
        if (options.containsKey("dashboard")) {
            dashboard = new DashboardFollower(URI.create(options.get("dashboard")));
        }

        log("warm-up: %d pipelines at %d/s", warmup, rate);
        awaitNotified(paced("warmup", warmup, rate));

        log("latency: %d pipelines at %d/s", latencyRuns, rate);
        Map<String, HopHistograms> before = scrapeAll();
        List<Run> paced = paced("latency", latencyRuns, rate);
        Map<Run, Long> notified = awaitNotified(paced);
        Map<String, HopHistograms> hops = new LinkedHashMap<>();
        scrapeAll().forEach((service, after) -> hops.put(service, after.since(before.get(service))));
        if (options.containsKey("csv")) {
            writeCsv(Path.of(options.get("csv")), notified);
        }

        log("throughput: %d pipelines from %d senders, as fast as they are accepted", burst, senders);
        long burstStart = System.currentTimeMillis();
        List<Run> burstRuns = burst("burst", burst, senders);
        long accepted = System.currentTimeMillis();
        Map<Run, Long> burstNotified = awaitNotified(burstRuns);
        long burstEnd = burstNotified.values().stream().mapToLong(Long::longValue).max().orElse(accepted);
        long caughtUp = dashboard == null ? 0 : awaitDashboard();

        String report = report(hops, notified, burstRuns.size(), burstNotified.size(), burstStart, accepted, burstEnd,
                rate, warmup, senders, loadBefore, loadAverage());
        return dashboard == null ? report
                : report + dashboardReport(notified, burstNotified, burstStart, burstEnd, caughtUp);
    }

    /** Waits until the dashboard shows no run RUNNING; returns when (epoch ms), or 0 when it did not catch up. */
    private long awaitDashboard() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + COMPLETION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long asked = System.currentTimeMillis();
            if (dashboard.caughtUp()) {
                return asked;
            }
            Thread.sleep(100);
        }
        log("the dashboard still showed runs RUNNING %s after the last run was notified", COMPLETION_TIMEOUT);
        return 0;
    }

    private String dashboardReport(Map<Run, Long> notified, Map<Run, Long> burstNotified, long burstStart,
                                   long burstEnd, long caughtUp) {
        List<Long> lag = new ArrayList<>();
        notified.forEach((run, at) -> dashboard.changedAt(run.runId()).ifPresent(changed -> lag.add(changed - at)));
        long lastChange = burstNotified.keySet().stream().map(run -> dashboard.changedAt(run.runId()))
                .flatMap(Optional::stream).mapToLong(Long::longValue).max().orElse(0);
        StringBuilder md = new StringBuilder("\nDashboard (dashboard-service in the stack, following the same topics): "
                + "run notified → the dashboard announced the run's last change on `/events` (after committing it), "
                + lag.size() + " of " + notified.size() + " pipelines of the latency phase:\n\n");
        md.append("| span | p50 | p99 | max |\n|---|---|---|---|\n").append(row("notified → projected", lag));
        md.append(String.format(Locale.ROOT, "%nBurst: the last run notified %.1f s after the first webhook; the "
                        + "dashboard's last change of a burst run %.1f s after it, and its runs page showed no run "
                        + "RUNNING %s.%n", (burstEnd - burstStart) / 1000.0, (lastChange - burstStart) / 1000.0,
                caughtUp == 0 ? "not within " + COMPLETION_TIMEOUT.toMinutes() + " minutes"
                        : String.format(Locale.ROOT, "%.1f s after it", (caughtUp - burstStart) / 1000.0)));
        return md.toString();
    }

    /** The latency phase run by run: when the webhook was sent, each event produced, the run notified (epoch ms). */
    private void writeCsv(Path file, Map<Run, Long> notified) throws IOException {
        List<String> lines = new ArrayList<>(List.of("run_id,repository,webhook_sent,commit_received,image_built,"
                + "tests_passed,artifact_published,notified"));
        notified.forEach((run, at) -> {
            StringBuilder line = new StringBuilder(run.runId() + "," + run.repository() + "," + run.sentAt());
            for (String type : List.of("CommitReceived", "ImageBuilt", "TestsPassed", "ArtifactPublished")) {
                line.append(',').append(stages.producedAt(run.runId(), type).map(String::valueOf).orElse(""));
            }
            lines.add(line.append(',').append(at).toString());
        });
        Files.write(file, lines);
    }

    private Map<String, HopHistograms> scrapeAll() throws IOException, InterruptedException {
        Map<String, HopHistograms> scraped = new LinkedHashMap<>();
        for (Map.Entry<String, URI> service : prometheus.entrySet()) {
            scraped.put(service.getKey(), HopHistograms.scrape(http, List.of(service.getValue()), managementToken));
        }
        return scraped;
    }

    /** Sends {@code count} webhooks open-loop at {@code rate} per second (a late answer does not delay the next). */
    private List<Run> paced(String phase, int count, int rate) throws InterruptedException {
        List<CompletableFuture<Run>> sent = new ArrayList<>();
        long start = System.nanoTime();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < count; i++) {
            long wait = start + i * period - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sent.add(sendAsync(phase, i));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    /** Sends {@code count} webhooks from {@code senders} threads, each sending its next one when answered. */
    private List<Run> burst(String phase, int count, int senders) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Run> runs = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        for (int s = 0; s < senders; s++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    runs.add(sendAsync(phase, i).join());
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        return runs;
    }

    private CompletableFuture<Run> sendAsync(String phase, int n) {
        String repository = "bench/app-" + (n % repositories);
        String sha = sha1(UUID.randomUUID().toString());
        String ref = "refs/heads/bench-" + phase + "-" + n;
        String body = "{\"repository\":\"" + repository + "\",\"cloneUrl\":\"https://git.example.org/" + repository
                + ".git\",\"ref\":\"" + ref + "\",\"sha\":\"" + sha + "\",\"message\":\"bench " + phase + " " + n
                + "\",\"author\":{\"name\":\"Bench\",\"email\":\"bench@example.org\"}}";
        HttpRequest request = HttpRequest.newBuilder(trigger.resolve("/webhooks/generic"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Slipway-Event", "push")
                .header("X-Slipway-Delivery", UUID.randomUUID().toString())
                .header("X-Slipway-Signature-256", "sha256=" + hmac(body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Run run = new Run(RunIds.runId(repository, sha, ref), repository, sha, ref, System.currentTimeMillis());
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(answer -> {
            if (answer.statusCode() != 202) {
                rejected.incrementAndGet();
                log("webhook %s answered %d: %s", run.runId(), answer.statusCode(), answer.body());
            }
            return run;
        });
    }

    /** Waits until every run was notified (or the timeout passed); returns when each was. */
    private Map<Run, Long> awaitNotified(List<Run> runs) throws InterruptedException {
        Map<Run, Long> notified = new LinkedHashMap<>();
        long deadline = System.nanoTime() + COMPLETION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Run run : runs) {
                if (!notified.containsKey(run)) {
                    sink.notifiedAt(run.runId(), run.sha()).ifPresent(at -> notified.put(run, at));
                }
            }
            if (notified.size() == runs.size()) {
                return notified;
            }
            Thread.sleep(20);
        }
        log("%d of %d runs were not notified within %s", runs.size() - notified.size(), runs.size(), COMPLETION_TIMEOUT);
        return notified;
    }

    private String report(Map<String, HopHistograms> hops, Map<Run, Long> notified, int burstRuns, int burstDone, long burstStart,
                          long accepted, long burstEnd, int rate, int warmup, int senders, String loadBefore,
                          String loadAfter) {
        StringBuilder md = new StringBuilder();
        Runtime runtime = Runtime.getRuntime();
        md.append("Measured ").append(LocalDate.now()).append(" by `").append(options.getOrDefault("command",
                        "bench/pipeline.sh")).append("`: ").append(runtime.availableProcessors()).append(" cores, ")
                .append(totalMemoryGiB()).append(" GiB, ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append(", Java ").append(System.getProperty("java.version"))
                .append(", Kafka over ").append(kafkaProtocol).append("; load average ").append(loadBefore).append(" before, ").append(loadAfter).append(" after.\n\n");
        if (floor != null) {
            md.append(String.format(Locale.ROOT, "Kafka's own latency on the same broker, measured first (`%s`: "
                            + "produce with acks=all → consumed, one partition): avg %.2f ms, p50 %.0f ms, p99 %.0f ms, "
                            + "p99.9 %.0f ms (EndToEndLatency prints its percentiles in whole milliseconds, cut down). "
                            + "Every latency below is also given as a multiple of Kafka's p50 or p99.%n%n",
                    options.getOrDefault("floor-command", "kafka.tools.EndToEndLatency"), floor.averageMillis(),
                    floor.p50Millis(), floor.p99Millis(), floor.p999Millis()));
        }
        if (eosFloor != null) {
            md.append(String.format(Locale.ROOT, "Kafka's exactly-once hop on the same broker, measured right after "
                            + "(`%s`: TransactionalMessageCopier's loop with Kafka's clients, one record per "
                            + "transaction: a record produced with acks=all → consumed read_committed, its copy sent "
                            + "in a transaction with the consumed offset → the copy read with read_committed): avg "
                            + "%.2f ms, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms. The hops' p50 are also given as a "
                            + "multiple of its p50; the targets stay against EndToEndLatency's.%n%n",
                    options.getOrDefault("eos-floor-command", "KafkaEosFloor"), eosFloor.averageMillis(),
                    eosFloor.p50Millis(), eosFloor.p99Millis(), eosFloor.p999Millis()));
        }

        md.append("Hops (producer timestamp → the consuming stage takes the record), ").append(notified.size())
                .append(" pipelines at ").append(rate).append("/s, after ").append(warmup)
                .append(" at the same rate to warm the stack up:\n\n");
        md.append("| topic | taken by | records | p50").append(floor == null ? "" : " (× Kafka's p50)").append(" | p99")
                .append(floor == null ? "" : " (× Kafka's p99)").append(eosFloor == null ? "" : " | × Kafka's EOS p50")
                .append(" |\n|---|---|---|---|---|").append(eosFloor == null ? "" : "---|").append("\n");
        Map<String, double[]> hopMillis = new LinkedHashMap<>();
        for (String topic : HOP_TOPICS) {
            HopHistograms stage = hops.get(CONSUMER.get(topic));
            double p50 = stage.quantileMillis(topic, 0.5);
            double p99 = stage.quantileMillis(topic, 0.99);
            hopMillis.put(topic, new double[] {p50, p99});
            md.append(String.format(Locale.ROOT, "| `%s` | %s | %d | %s | %s |", topic,
                    CONSUMER.get(topic) + "-service", stage.count(topic), millis(p50, 1, p50Ratio(p50)),
                    millis(p99, 1, p99Ratio(p99))));
            if (eosFloor != null) {
                md.append(' ').append(eosFloor.timesP50(p50).orElse("–")).append(" |");
            }
            md.append('\n');
        }

        List<Long> endToEnd = new ArrayList<>();
        Map<String, List<Long>> split = new LinkedHashMap<>();
        for (String step : List.of("webhook sent → CommitReceived", "CommitReceived → ImageBuilt",
                "ImageBuilt → TestsPassed", "TestsPassed → ArtifactPublished", "ArtifactPublished → notified")) {
            split.put(step, new ArrayList<>());
        }
        notified.forEach((run, at) -> {
            endToEnd.add(at - run.sentAt());
            List<Long> marks = new ArrayList<>(List.of(run.sentAt()));
            for (String type : List.of("CommitReceived", "ImageBuilt", "TestsPassed", "ArtifactPublished")) {
                stages.producedAt(run.runId(), type).ifPresent(marks::add);
            }
            if (marks.size() == 5) {
                marks.add(at);
                int i = 0;
                for (List<Long> samples : split.values()) {
                    samples.add(marks.get(i + 1) - marks.get(i));
                    i++;
                }
            }
        });
        md.append("\nNo-op pipeline, webhook sent → notifier done (Slack message and success status received), ")
                .append(notified.size()).append(" pipelines at ").append(rate).append("/s:\n\n");
        md.append("| span | p50").append(floor == null ? "" : " (× Kafka's p50)").append(" | p99")
                .append(floor == null ? "" : " (× Kafka's p99)").append(" | max |\n|---|---|---|---|\n");
        double endToEndP50 = Percentiles.of(endToEnd, 0.5);
        double endToEndP99 = Percentiles.of(endToEnd, 0.99);
        md.append(String.format(Locale.ROOT, "| **end to end** | %s | %s | %.0f ms |%n",
                millis(endToEndP50, 0, p50Ratio(endToEndP50)), millis(endToEndP99, 0, p99Ratio(endToEndP99)),
                Percentiles.of(endToEnd, 1.0)));
        split.forEach((step, samples) -> md.append(row(step, samples)));

        double seconds = Math.max(1, burstEnd - burstStart) / 1000.0;
        md.append(String.format(Locale.ROOT, "%nThroughput: %d pipelines sent from %d concurrent senders in %.1f s "
                        + "(%.0f webhooks/s accepted); %d notified, the last %.1f s after the first webhook: "
                        + "**%.0f pipelines/minute**.%n", burstRuns, senders, (accepted - burstStart) / 1000.0,
                burstRuns / Math.max(0.001, (accepted - burstStart) / 1000.0), burstDone, seconds,
                burstDone / seconds * 60));
        if (rejected.get() > 0) {
            md.append("\n").append(rejected.get()).append(" webhooks were not accepted (see the harness output).\n");
        }
        double webhooksPerSecond = burstRuns / Math.max(0.001, (accepted - burstStart) / 1000.0);
        md.append(targets(hopMillis, endToEndP50, burstDone / seconds * 60, webhooksPerSecond));
        return md.toString();
    }

    /** The figures against issue #21's targets, one row each, with whether each was met. */
    private String targets(Map<String, double[]> hopMillis, double endToEndP50, double perMinute,
                           double webhooksPerSecond) {
        StringBuilder md = new StringBuilder("\nAgainst the targets:\n\n| target | measured | verdict |\n|---|---|---|\n");
        if (floor != null) {
            md.append(hopTarget("p50", hopMillis, 0, floor.p50Millis()));
            md.append(hopTarget("p99", hopMillis, 1, floor.p99Millis()));
        }
        md.append(target(String.format(Locale.ROOT, "no-op pipeline p50 ≤ %.0f ms", NO_OP_P50_MILLIS),
                String.format(Locale.ROOT, "%.0f ms", endToEndP50), endToEndP50 <= NO_OP_P50_MILLIS));
        md.append(target(String.format(Locale.ROOT, "≥ %,.0f pipelines/minute", PIPELINES_PER_MINUTE),
                String.format(Locale.ROOT, "%,.0f", perMinute), perMinute >= PIPELINES_PER_MINUTE));
        md.append(target(String.format(Locale.ROOT, "≥ %,.0f webhooks/s accepted", WEBHOOKS_PER_SECOND),
                String.format(Locale.ROOT, "%,.0f (%s senders)", webhooksPerSecond,
                        options.getOrDefault("senders", "8")), webhooksPerSecond >= WEBHOOKS_PER_SECOND));
        if (options.containsKey("idle-total")) {
            double idle = Double.parseDouble(options.get("idle-total"));
            md.append(target(String.format(Locale.ROOT, "idle stack ≤ %.0f %% of one core in total",
                    IDLE_PERCENT_OF_A_CORE), String.format(Locale.ROOT, "%.1f %% (table below)", idle),
                    idle <= IDLE_PERCENT_OF_A_CORE));
        }
        return md.toString();
    }

    /** Whether every hop's {@code which} quantile (index 0: p50, 1: p99) is within 2× Kafka's same quantile. */
    private static String hopTarget(String which, Map<String, double[]> hopMillis, int index, double kafkaMillis) {
        double limit = HOP_TIMES_KAFKA * kafkaMillis;
        long missed = hopMillis.values().stream().filter(hop -> hop[index] > limit).count();
        double least = hopMillis.values().stream().mapToDouble(hop -> hop[index]).min().orElse(0);
        double most = hopMillis.values().stream().mapToDouble(hop -> hop[index]).max().orElse(0);
        String measured = String.format(Locale.ROOT, "%.1f–%.1f ms", least, most)
                + (kafkaMillis > 0 ? String.format(Locale.ROOT, " (%.1f–%.1f×)", least / kafkaMillis,
                most / kafkaMillis) : "");
        String verdict = missed == 0 ? "met on every hop"
                : String.format(Locale.ROOT, "missed on %d of %d hops", missed, hopMillis.size());
        return String.format(Locale.ROOT, "| hop %s ≤ %.0f× Kafka's %s (%.0f ms) | %s | %s |%n", which,
                HOP_TIMES_KAFKA, which, limit, measured, verdict);
    }

    private static String target(String target, String measured, boolean met) {
        return "| " + target + " | " + measured + " | " + (met ? "met" : "missed") + " |\n";
    }

    private Optional<String> p50Ratio(double millis) {
        return floor == null ? Optional.empty() : floor.timesP50(millis);
    }

    private Optional<String> p99Ratio(double millis) {
        return floor == null ? Optional.empty() : floor.timesP99(millis);
    }

    /** {@code 4.2 ms}, or with Kafka's floor {@code 4.2 ms (2.1×)}. */
    private static String millis(double millis, int decimals, Optional<String> ratio) {
        return String.format(Locale.ROOT, "%." + decimals + "f ms", millis) + ratio.map(r -> " (" + r + ")").orElse("");
    }

    private static String row(String name, List<Long> samples) {
        return String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms |%n", name, Percentiles.of(samples, 0.5),
                Percentiles.of(samples, 0.99), Percentiles.of(samples, 1.0));
    }

    private String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%.2f", load);
    }

    private static long totalMemoryGiB() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return -1;
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
    }

    private String required(String name) {
        return options.required(name);
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}

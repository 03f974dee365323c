package io.slipway.dashboard.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.slipway.dashboard.domain.LiveChanges;
import io.slipway.dashboard.store.JdbcProjection;
import io.slipway.dashboard.store.ProjectedRecord;
import io.slipway.dashboard.store.TestRuns;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.devstack.PostgresServer;
import io.slipway.events.Commit;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.SampleEvents;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dashboard's benchmark: fills a database with a history of runs through the projection's own write path
 * ({@link JdbcProjection#apply}, in polls of 500 records, as the consumer applies them), starts dashboard-service as a
 * process of its own on that database, and times its pages over HTTP after a warm-up. Prints a Markdown report.
 * Usage: {@code DashboardBenchmark RUNS REQUESTS WARMUP h2|postgres REPORT COMMAND}.
 */
public final class DashboardBenchmark {

    private static final int REPOSITORIES = 50;
    private static final int POLL = 500;
    private static final String[] BRANCHES = {"main", "main", "main", "develop", "feature/login", "feature/search",
        "fix/timeout", "release/2.4"};
    private static final Pattern NEXT = Pattern.compile("rel=\"next\" href=\"/runs\\?([^\"]*)\"");
    private static final Pattern RUN_LINK = Pattern.compile("href=\"(/runs/[0-9a-f-]{36}/\\d+)\"");

    private final Map<String, Long> offsets = new HashMap<>();
    private final Random random = new Random(19);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int requests = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        boolean postgres = "postgres".equals(args[3]);
        new DashboardBenchmark().run(runs, requests, warmup, postgres, Path.of(args[4]), args[5]);
    }

    private void run(int runs, int requests, int warmup, boolean postgres, Path report, String command)
            throws Exception {
        Path work = Files.createTempDirectory("dashboard-bench");
        PostgresServer server = postgres ? PostgresServer.start() : null;
        String url = postgres ? server.jdbcUrl() : "jdbc:h2:file:" + work.resolve("slipway")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        String user = postgres ? server.user() : "slipway";
        String password = postgres ? server.password() : "";
        Process service = null;
        try {
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
            long fillStart = System.nanoTime();
            long records = fill(url, user, password, runs);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            System.out.printf(Locale.ROOT, "filled %d runs (%d records) in %.1f s%n", runs, records, fillSeconds);

            int port = LoopbackPorts.free();
            service = startService(url, user, password, port, work.resolve("dashboard-service.log"));
            String base = "http://127.0.0.1:" + port;
            awaitUp(base, service);

            String first = get(base + "/runs").body();
            int deepPages = Math.min(200, runs / 100);
            String deep = base + "/runs?" + deepCursor(base, deepPages);
            List<String> runPages = new ArrayList<>();
            Matcher links = RUN_LINK.matcher(first);
            while (links.find()) {
                runPages.add(base + links.group(1));
            }
            Map<String, List<String>> targets = new LinkedHashMap<>();
            targets.put("`/runs` (newest 50)", List.of(base + "/runs"));
            targets.put("`/runs?repository=…&status=FAILED`", repositoryFilters(base));
            targets.put(String.format(Locale.ROOT, "`/runs?cursor=…` (page %d, %,d runs deep)", deepPages + 1,
                    deepPages * 50), List.of(deep));
            targets.put("`/runs/{id}/{attempt}`", runPages);
            targets.put("`/metrics?period=30d`", List.of(base + "/metrics?period=30d"));

            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "Measured %s by `%s`: %d cores, Java %s, %s database; %,d runs "
                            + "(%,d records) written through the projection in %.0f s (%,.0f records/s).%n%n",
                    LocalDate.now(), command, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), postgres ? "PostgreSQL 15" : "H2 (embedded, file)", runs,
                    records, fillSeconds, records / fillSeconds));
            md.append(String.format(Locale.ROOT, "| page | requests | p50 | p95 | p99 | max |%n|---|---|---|---|---|---|%n"));
            for (Map.Entry<String, List<String>> target : targets.entrySet()) {
                // The metrics page computes over the whole period (seconds at this size): a few requests tell it.
                boolean metrics = target.getKey().startsWith("`/metrics");
                md.append(measure(target.getKey(), target.getValue(), metrics ? Math.max(10, requests / 50) : requests,
                        metrics ? Math.max(2, warmup / 100) : warmup));
            }
            Files.writeString(report, md.toString());
            System.out.println(md);
        } finally {
            if (service != null) {
                service.destroy();
                service.waitFor();
            }
            if (server != null) {
                server.close();
            }
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Writes {@code runs} runs of 50 repositories, oldest first over 90 days, in polls of 500 records. */
    private long fill(String url, String user, String password, int runs) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(1);
        long count = 0;
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            JdbcProjection projection = new JdbcProjection(dataSource, 4L << 20, new LiveChanges());
            Instant start = Instant.now().minus(Duration.ofDays(90));
            long step = Duration.ofDays(90).toMillis() / runs;
            List<ProjectedRecord> batch = new ArrayList<>(POLL + 8);
            for (int i = 0; i < runs; i++) {
                for (Map.Entry<String, SpecificRecord> event : events(i, runs, start.plusMillis(i * step))) {
                    batch.add(record(event.getKey(), event.getValue()));
                }
                if (batch.size() >= POLL) {
                    count += apply(projection, batch);
                }
            }
            count += apply(projection, batch);
        }
        return count;
    }

    private static int apply(JdbcProjection projection, List<ProjectedRecord> batch) throws Exception {
        int size = batch.size();
        projection.apply(batch, (record, cause) -> {
            throw new IllegalStateException("could not apply " + record.topic() + "@" + record.offset(), cause);
        });
        batch.clear();
        return size;
    }

    private ProjectedRecord record(String topic, SpecificRecord event) {
        long offset = offsets.merge(topic, 1L, Long::sum) - 1;
        String key = event instanceof io.slipway.events.EnvironmentState state
                ? state.getEnvironment() + "|" + state.getRepository() : "key";
        return ProjectedRecord.of(topic, 0, offset, key, event);
    }

    /**
     * One run's events, by topic: 80 % published (a tenth of those deployed to staging, a third of those to
     * production), 10 % failed in the build or the tests, 4 % cancelled, the newest 0.5 % still running.
     */
    private List<Map.Entry<String, SpecificRecord>> events(int index, int runs, Instant triggeredAt) {
        String repository = "acme/service-" + (index % REPOSITORIES);
        String branch = BRANCHES[random.nextInt(BRANCHES.length)];
        String sha = String.format(Locale.ROOT, "%040x", (long) index * 2_654_435_761L + 1);
        String ref = "refs/heads/" + branch;
        RunContext sample = SampleEvents.run();
        TestRuns run = new TestRuns(RunContext.newBuilder(sample)
                .setRunId(RunIds.runId(repository, sha, ref))
                .setRepository(Repository.newBuilder(sample.getRepository()).setFullName(repository)
                        .setCloneUrl("https://git.example.com/" + repository + ".git")
                        .setWebUrl("https://git.example.com/" + repository).build())
                .setCommit(Commit.newBuilder(sample.getCommit()).setSha(sha).setRef(ref)
                        .setMessage("Change " + index + " on " + branch)
                        .setTimestamp(triggeredAt.minusSeconds(120)).build())
                .setTriggeredAt(triggeredAt)
                .setAcceptedSequence(triggeredAt.toEpochMilli())
                .build());
        List<Map.Entry<String, SpecificRecord>> events = new ArrayList<>();
        events.add(Map.entry(Topics.COMMITS, run.commitReceived()));
        int outcome = random.nextInt(1000);
        if (outcome < 40) {
            events.add(Map.entry(Topics.FAILURES, run.failed(Stage.BUILD, "SUPERSEDED")));
            return events;
        }
        if (outcome < 90) {
            events.add(Map.entry(Topics.FAILURES, run.failed(Stage.BUILD, "BUILD_FAILED")));
            return events;
        }
        events.add(Map.entry(Topics.IMAGES, run.imageBuilt()));
        if (outcome < 140) {
            events.add(Map.entry(Topics.REPORTS, run.report()));
            events.add(Map.entry(Topics.FAILURES, run.failed(Stage.TEST, "TESTS_FAILED")));
            return events;
        }
        if (index >= runs - runs / 200 && outcome < 200) {
            return events;
        }
        events.add(Map.entry(Topics.TESTS, run.testsPassed()));
        events.add(Map.entry(Topics.ARTIFACTS, run.artifactPublished()));
        if (outcome >= 900) {
            events.add(Map.entry(Topics.DEPLOYMENTS, run.deployed("staging")));
            events.add(Map.entry(Topics.DEPLOYER_STATE, run.environmentState("staging")));
            if (outcome >= 966) {
                events.add(Map.entry(Topics.DEPLOYMENTS, run.deployed("production")));
                events.add(Map.entry(Topics.DEPLOYER_STATE, run.environmentState("production")));
            }
        }
        return events;
    }

    private String deepCursor(String base, int pages) throws Exception {
        String query = "";
        for (int page = 0; page < pages; page++) {
            Matcher next = NEXT.matcher(get(base + "/runs?" + query).body());
            if (!next.find()) {
                throw new IllegalStateException("page " + page + " of /runs has no next link");
            }
            query = next.group(1).replace("&amp;", "&");
        }
        return query;
    }

    private static List<String> repositoryFilters(String base) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < REPOSITORIES; i++) {
            urls.add(base + "/runs?repository=acme%2Fservice-" + i + "&status=FAILED");
        }
        return urls;
    }

    /** Times {@code requests} GETs (after {@code warmup} untimed ones), cycling through {@code urls}. */
    private String measure(String name, List<String> urls, int requests, int warmup) throws Exception {
        HttpResponse<String> probe = get(urls.get(0));
        String type = probe.headers().firstValue("Content-Type").orElse("");
        if (probe.statusCode() == 404 || !type.startsWith("text/html")) {
            // Without the delivery metrics page, /metrics is Micronaut's management endpoint (JSON), not a page.
            return "| " + name + " | no such page in this build | | | | |\n";
        }
        for (int i = 0; i < warmup; i++) {
            expectOk(get(urls.get(i % urls.size())));
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(urls.get(i % urls.size()));
            nanos[i] = System.nanoTime() - start;
            expectOk(response);
        }
        Arrays.sort(nanos);
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", name, requests,
                ms(percentile(nanos, 50)), ms(percentile(nanos, 95)), ms(percentile(nanos, 99)),
                ms(nanos[nanos.length - 1]));
    }

    private static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static void expectOk(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(300, response.body().length())));
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * dashboard-service on this JVM's class path with {@code ./slipway up}'s JVM options; no Kafka answers it (the
     * projection finds no broker and the pages read what is stored), topics are not created.
     */
    private static Process startService(String url, String user, String password, int port, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx384m", "-XX:TieredStopAtLevel=1"));
        String options = System.getenv("BENCH_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.trim().split("\\s+")));
        }
        command.addAll(List.of("-Dslipway.kafka.create-topics=false", "-cp", System.getProperty("java.class.path"),
                "io.slipway.dashboard.Application"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("DASHBOARD_PORT", Integer.toString(port));
        env.put("SLIPWAY_DASHBOARD_DB_URL", url);
        env.put("SLIPWAY_DASHBOARD_DB_USER", user);
        env.put("SLIPWAY_DASHBOARD_DB_PASSWORD", password);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + LoopbackPorts.free());
        env.put("LOG_LEVEL", "WARN");
        return builder.start();
    }

    private void awaitUp(String base, Process service) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!service.isAlive()) {
                throw new IllegalStateException("dashboard-service exited with " + service.exitValue());
            }
            try {
                if (get(base + "/runs").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("dashboard-service did not answer at " + base + " within 120 s");
    }
}

package io.slipway.builder;

import io.slipway.builder.config.BuilderFactory;
import io.slipway.builder.domain.BuildOutcome;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.builder.domain.BuildService;
import io.slipway.builder.domain.StreamedLog;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.common.testing.DockerTestImages;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.container.DockerEngine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Benchmark of the build stage (not a test): a cold build, rebuilds of an unchanged commit (cache hits) and a new
 * commit whose layers are all cached, on the real engine and registry. Prints the figures and writes them into the
 * builder-service section of docs/benchmarks.md. Run with {@code bench/builder-stage.sh}.
 */
public final class BuildStageBenchmark {

    private static final String SECTION = "## builder-service: build stage";
    private static final int CACHE_HIT_RUNS = 20;

    private BuildStageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path docs = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
        Path tmp = Files.createTempDirectory("builder-bench");
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), BuilderTestSupport.REGISTRY_USER,
                BuilderTestSupport.REGISTRY_PASSWORD); TestRepository repo = TestRepository.create(tmp.resolve("repo"))) {
            String base = DockerTestImages.busybox();
            var properties = BuilderTestSupport.properties(tmp.resolve("work"), DockerEngine.DEFAULT_HOST, registry,
                    BuilderTestSupport.REGISTRY_PASSWORD, Map.of());
            BuilderFactory factory = new BuilderFactory();
            BuildService service = factory.buildService(properties, factory.dockerClient(properties), r -> Optional.empty(),
                    Clock.systemUTC(), ImageOwnership.ownNamesOnly(), StreamedLog.Streams.NONE);
            byte[] payload = new byte[8 << 20];
            new Random().nextBytes(payload);
            String image = BuilderTestSupport.unique("bench/app");
            String first = repo.commit("app", Map.of(".slipway.yml", "image: " + image + "\n", ".dockerignore", "NOTES.md\n",
                    "payload.b64", Base64.getEncoder().encodeToString(payload),
                    "Dockerfile", "FROM " + base + "\nCOPY payload.b64 /payload.b64\nRUN wc -c /payload.b64 > /size.txt\n",
                    "NOTES.md", "notes\n"));
            Path data = tmp.resolve("registry/data");

            Measure cold = measure(service, BuilderTestSupport.request(image, repo, first, "refs/heads/main", 0), data);
            List<Measure> hits = new ArrayList<>();
            for (int i = 0; i < CACHE_HIT_RUNS; i++) {
                hits.add(measure(service, BuilderTestSupport.request(image, repo, first, "refs/heads/main", 0), data));
            }
            String second = repo.commit("notes only", Map.of("NOTES.md", "more notes\n"));
            Measure warm = measure(service, BuilderTestSupport.request(image, repo, second, "refs/heads/main", 1), data);

            List<Long> hitMillis = hits.stream().map(Measure::millis).sorted().toList();
            String table = String.join("\n",
                    "| case | stage time | bytes added to the registry | outcome |",
                    "|---|---|---|---|",
                    row("cold build (8 MiB layer, empty registry)", cold.millis + " ms", cold),
                    row("unchanged commit again (cache hit), " + CACHE_HIT_RUNS + " runs", "median "
                            + hitMillis.get(hitMillis.size() / 2) + " ms, max " + hitMillis.get(hitMillis.size() - 1) + " ms",
                            hits.get(hits.size() - 1).withBytes(hits.stream().mapToLong(Measure::bytes).sum())),
                    row("new commit, all layers cached (only NOTES.md changed, excluded by .dockerignore)",
                            warm.millis + " ms", warm));
            System.out.println(table);
            writeSection(docs, table);
        }
    }

    private record Measure(long millis, long bytes, BuildOutcome outcome) {
        Measure withBytes(long total) {
            return new Measure(millis, total, outcome);
        }
    }

    private static Measure measure(BuildService service, BuildRequest request, Path registryData) throws IOException {
        long before = size(registryData);
        long started = System.nanoTime();
        BuildOutcome outcome = service.build(request);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!(outcome instanceof BuildOutcome.Built)) {
            throw new IllegalStateException("benchmark build failed: " + outcome);
        }
        return new Measure(millis, size(registryData) - before, outcome);
    }

    private static String row(String name, String time, Measure measure) {
        BuildOutcome.Built built = (BuildOutcome.Built) measure.outcome();
        return "| " + name + " | " + time + " | " + measure.bytes() + " | " + (built.cacheHit() ? "cacheHit=true" : "built and pushed") + " |";
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Replaces this benchmark's section of docs/benchmarks.md (other sections stay), creating the file if needed. */
    private static void writeSection(Path docs, String table) throws IOException {
        String section = SECTION + "\n\n"
                + "Measured " + LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores with the local "
                + "Docker engine and Debian's docker-registry (htpasswd auth) on loopback; stage time is `BuildService.build` "
                + "from request to outcome (fetch, `.slipway.yml`, registry check, build, push), Kafka excluded. Bytes are "
                + "what the registry's storage grew by.\n\n" + table + "\n\n"
                + "Reproduce: `bench/builder-stage.sh` (needs dockerd, docker-registry, apache2-utils, busybox-static).\n";
        String existing = Files.exists(docs) ? Files.readString(docs) : "# Benchmarks\n\nMeasured figures of Slipway's stages; "
                + "each section says how to reproduce it.\n";
        int start = existing.indexOf(SECTION);
        String updated;
        if (start < 0) {
            updated = existing.stripTrailing() + "\n\n" + section;
        } else {
            int next = existing.indexOf("\n## ", start + SECTION.length());
            updated = existing.substring(0, start) + section + (next < 0 ? "" : existing.substring(next));
        }
        Files.createDirectories(docs.toAbsolutePath().getParent());
        Files.writeString(docs, updated, StandardCharsets.UTF_8);
    }
}

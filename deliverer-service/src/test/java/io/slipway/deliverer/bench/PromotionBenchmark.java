package io.slipway.deliverer.bench;

import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.TestImages;
import io.slipway.container.oci.RegistryEndpoint;
import io.slipway.deliverer.adapter.registry.RegistryClients;
import io.slipway.deliverer.adapter.registry.RegistryPromoter;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.ImageRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Measures what the deliverer does for one promotion (copy, three tags, read-back of every tag) between two real
 * registries on loopback: cold (the release repository has nothing), after a rebuild (it has every layer, the
 * config is new) and for a digest it already has. Arguments: layers, MiB per layer, repetitions (3 16 5).
 */
public final class PromotionBenchmark {

    private PromotionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int layers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("promotion-bench");
        try (LocalRegistry staging = LocalRegistry.start(dir.resolve("staging"), "builder", "b");
             LocalRegistry release = LocalRegistry.start(dir.resolve("release"), "deliverer", "d")) {
            RegistryPromoter promoter = new RegistryPromoter(new RegistryClients(List.of(
                    new RegistryEndpoint(staging.host(), true, staging.user(), staging.password()),
                    new RegistryEndpoint(release.host(), true, release.user(), release.password())),
                    Duration.ofSeconds(30), Duration.ofMinutes(10)));
            Random random = new Random(42);
            List<byte[]> blobs = new ArrayList<>();
            long compressed = 0;
            for (int i = 0; i < layers; i++) {
                byte[] content = new byte[mib * 1024 * 1024];
                random.nextBytes(content);
                blobs.add(TestImages.layer("data/layer-" + i, content));
                compressed += blobs.get(i).length;
            }
            System.out.printf("image: %d layers x %d MiB random data (%.1f MB as tar.gz); docker-registry on loopback, "
                    + "htpasswd auth; %d repetitions%n", layers, mib, compressed / 1e6, repetitions);
            Bench bench = new Bench(staging, release, promoter, blobs);
            Bench.report("cold: release repository empty", List.of(bench.promote(bench.push("cold"), "bench-cold")));
            bench.promote(bench.push("warm-up"), "bench-rebuild");
            List<long[]> rebuilds = new ArrayList<>();
            for (int i = 0; i < repetitions; i++) {
                rebuilds.add(bench.promote(bench.push("rebuild-" + i), "bench-rebuild"));
            }
            Bench.report("rebuild: release has every layer, config new", rebuilds);
            TestImages.Pushed known = bench.push("again");
            bench.promote(known, "bench-again");
            List<long[]> agains = new ArrayList<>();
            for (int i = 0; i < repetitions; i++) {
                agains.add(bench.promote(known, "bench-again"));
            }
            Bench.report("again: release has this digest", agains);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** Promotes images of the benchmark's layers from staging to release, measuring each promotion. */
    private record Bench(LocalRegistry staging, LocalRegistry release, ImageRegistry promoter, List<byte[]> layers) {

        /** Prints the median and the minimum of samples (nanoseconds, bytes uploaded, upload requests). */
        static void report(String scenario, List<long[]> samples) {
            List<long[]> sorted = samples.stream().sorted(Comparator.comparingLong(s -> s[0])).toList();
            long[] median = sorted.get(sorted.size() / 2);
            System.out.printf("%-48s %8.1f ms median (min %.1f), %,d bytes uploaded, %d upload requests%n", scenario,
                    median[0] / 1e6, sorted.get(0)[0] / 1e6, median[1], median[2]);
        }

        private TestImages.Pushed push(String run) {
            return TestImages.push(staging, "staging/bench", run, TestImages.labels("f".repeat(40), run), layers);
        }

        /** Nanoseconds, bytes uploaded (as counted by the copier), upload requests (from the release registry's log). */
        private long[] promote(TestImages.Pushed image, String repository) {
            ImageRef release = new ImageRef(this.release.host(), repository);
            int before = uploads();
            long start = System.nanoTime();
            ImageRegistry.Promotion promotion = promoter.copy(new ImageRef(staging.host(), "staging/bench"),
                    image.digest(), release);
            List<String> tags = List.of("f".repeat(40), "main", "latest");
            promoter.tag(release, image.digest(), tags);
            for (String tag : tags) {
                if (!promoter.digestOf(release, tag).orElseThrow().equals(image.digest())) {
                    throw new IllegalStateException(tag + " does not name " + image.digest());
                }
            }
            long elapsed = System.nanoTime() - start;
            return new long[] {elapsed, promotion.bytesUploaded(), uploads() - before};
        }

        private int uploads() {
            return (int) release.requests().stream().filter(r -> r.uri().contains("/blobs/uploads/")
                    && (r.method().equals("POST") || r.method().equals("PUT") || r.method().equals("PATCH"))).count();
        }
    }
}

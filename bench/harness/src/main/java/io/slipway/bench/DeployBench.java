package io.slipway.bench;

import io.slipway.common.kafka.KafkaClients;
import io.slipway.events.ArtifactKind;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.Commit;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.RegistrySettings;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The deployment benchmark: publication → healthy in a staging environment on the local Docker engine, split into
 * what the engine itself takes (pull, create, start, first answer of the page, measured with the Docker CLI and the
 * same image, no Slipway) and what Slipway adds on top ({@code ArtifactPublished} record timestamp → {@code Deployed}
 * record timestamp, minus the engine's time), next to Kafka's own floor on the same broker (one produce → consume
 * round trip). Each repetition deploys a fresh repository (a first deployment: no old container to stop) from an
 * image the engine does not hold. Writes a Markdown section for {@code docs/benchmarks.md}; run by
 * {@code bench/deploy.sh}, which starts the stack and pushes the images.
 */
public final class DeployBench {

    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
    private static final String FLOOR_TOPIC = "bench.deploy.floor";

    private final BenchOptions options;
    private final Map<String, Object> kafka;
    private final StageTimes stages;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DeployBench(BenchOptions options) throws IOException {
        this.options = options;
        this.kafka = KafkaSettings.of(required("bootstrap"), Path.of(required("kafka-config")));
        this.stages = new StageTimes(kafka, required("registry"));
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(required("registry"))
                .withBasicAuth(Files.readString(Path.of(required("registry-user-info-file"))).strip()));
        this.producer = new KafkaProducer<>(KafkaClients.of(kafka).producerSettings("slipway-bench-deploy"),
                new StringSerializer(), new AvroEventSerializer(registry, true));
    }

    /** One repetition's figures, in milliseconds. */
    private record Sample(long pull, long create, long start, long healthy, long slipway) {
        long engine() {
            return pull + create + start + healthy;
        }
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args,
                "DeployBench --bootstrap=HOST:PORT --kafka-config=FILE (a login that writes "
                        + "slipway.artifacts and creates topics) --registry=URL --registry-user-info-file=FILE "
                        + "--images=REGISTRY/REPOSITORY@DIGEST,… --staging-port=N --engine-port=N [--out=FILE] [--command=TEXT]");
        DeployBench bench = new DeployBench(options);
        try {
            options.publish(bench.run());
        } finally {
            bench.producer.close();
            bench.stages.close();
        }
    }

    private String run() throws Exception {
        List<String> images = List.of(required("images").split(","));
        int stagingPort = Integer.parseInt(required("staging-port"));
        int enginePort = Integer.parseInt(required("engine-port"));
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String image = images.get(i);
            long[] engine = engine(image, enginePort, "slipway-bench-engine-" + i);
            long slipway = slipway(image, stagingPort);
            samples.add(new Sample(engine[0], engine[1], engine[2], engine[3], slipway));
            log("repetition %d: engine %d ms (pull %d, create %d, start %d, healthy %d), Slipway %d ms", i + 1,
                    samples.get(i).engine(), engine[0], engine[1], engine[2], engine[3], slipway);
        }
        List<Long> floor = kafkaFloor(Math.max(50, images.size()));
        return report(samples, floor);
    }

    /**
     * The engine alone, with the CLI: pull, create (the port published as the deployer publishes it), start, then the
     * page's first 200; the container and the image are removed afterwards, so Slipway pulls the same image again.
     */
    private long[] engine(String image, int port, String container) throws Exception {
        long[] times = new long[4];
        times[0] = timed(() -> docker("pull", "-q", image));
        times[1] = timed(() -> docker("create", "--name", container, "-p", "127.0.0.1:" + port + ":8000", image));
        times[2] = timed(() -> docker("start", container));
        times[3] = timed(() -> awaitPage(URI.create("http://127.0.0.1:" + port + "/")));
        docker("rm", "-f", container);
        docker("rmi", image);
        return times;
    }

    /**
     * Slipway: an {@code ArtifactPublished} of a fresh repository (what the deliverer writes) → its {@code Deployed}
     * to staging, both by record timestamp; the staging container and the image are removed afterwards.
     */
    private long slipway(String image, int stagingPort) throws Exception {
        String repository = "bench/deploy-" + UUID.randomUUID().toString().substring(0, 8);
        String sha = UUID.randomUUID().toString().replace("-", "") + "01234567";
        String ref = "refs/heads/main";
        Instant now = Instant.now();
        RunContext run = RunContext.newBuilder().setRunId(RunIds.runId(repository, sha, ref)).setAttempt(1)
                .setRepository(Repository.newBuilder().setFullName(repository)
                        .setCloneUrl("https://git.bench.invalid/" + repository + ".git").build())
                .setCommit(Commit.newBuilder().setSha(sha).setRef(ref).setMessage("bench").setAuthorName("bench")
                        .setTimestamp(now).build())
                .setTriggeredAt(now).setAcceptedSequence(now.toEpochMilli()).build();
        int at = image.indexOf('@');
        int slash = image.indexOf('/');
        ArtifactPublished published = ArtifactPublished.newBuilder().setEventId(RunIds.newEventId()).setRun(run)
                .setKind(ArtifactKind.CONTAINER).setRegistry(image.substring(0, slash))
                .setRepository(image.substring(slash + 1, at)).setDigest(image.substring(at + 1))
                .setTags(List.of(sha, "main")).setEmittedAt(now).build();
        producer.send(new ProducerRecord<>(Topics.ARTIFACTS, repository, published)).get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        Optional<Long> deployed = stages.producedAt(run.getRunId(), "Deployed");
        while (deployed.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
            deployed = stages.producedAt(run.getRunId(), "Deployed");
        }
        long publishedAt = stages.producedAt(run.getRunId(), "ArtifactPublished")
                .orElseThrow(() -> new IllegalStateException("the ArtifactPublished of " + repository + " was not read back"));
        long took = deployed.orElseThrow(() -> new IllegalStateException(repository + " was not deployed within "
                + DEPLOY_TIMEOUT + " (see ./slipway logs deployer-service)")) - publishedAt;
        awaitPage(URI.create("http://127.0.0.1:" + stagingPort + "/"));
        docker("rm", "-f", "slipway-staging-" + repository.replace('/', '-'));
        docker("rmi", image);
        return took;
    }

    /** Produce → consume round trips on a topic of its own on the same broker, acks=all as the services produce. */
    private List<Long> kafkaFloor(int count) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(FLOOR_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(FLOOR_TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        KafkaClients clients = KafkaClients.of(kafka);
        List<Long> samples = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(clients.producerSettings("slipway-bench-floor"),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> in = clients.consumer("slipway-bench-floor", new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(FLOOR_TOPIC, 0);
            in.assign(List.of(partition));
            in.seekToEnd(List.of(partition));
            in.position(partition);
            for (int i = 0; i < count; i++) {
                byte[] marker = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
                long sent = System.nanoTime();
                out.send(new ProducerRecord<>(FLOOR_TOPIC, marker)).get(30, TimeUnit.SECONDS);
                boolean seen = false;
                while (!seen) {
                    for (ConsumerRecord<byte[], byte[]> record : in.poll(Duration.ofMillis(500))) {
                        seen |= Arrays.equals(record.value(), marker);
                    }
                }
                samples.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
            }
        }
        return samples;
    }

    private String report(List<Sample> samples, List<Long> floor) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Measured %s on this machine (%d cores, load average %.2f at the end), "
                        + "%d repetitions; `%s`.%n%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), samples.size(),
                options.getOrDefault("command", "bench/deploy.sh")));
        md.append("| | p50 | max |\n|---|---|---|\n");
        md.append(row("engine: pull", samples.stream().map(Sample::pull).toList()));
        md.append(row("engine: create", samples.stream().map(Sample::create).toList()));
        md.append(row("engine: start", samples.stream().map(Sample::start).toList()));
        md.append(row("engine: started → page answers", samples.stream().map(Sample::healthy).toList()));
        md.append(row("**engine total** (pull + create + start + healthy)", samples.stream().map(Sample::engine).toList()));
        md.append(row("**Slipway**: `ArtifactPublished` → `Deployed` (staging, healthy)",
                samples.stream().map(Sample::slipway).toList()));
        md.append(row("**overhead Slipway adds** (Slipway − engine, per repetition)",
                samples.stream().map(s -> s.slipway() - s.engine()).toList()));
        md.append(row("Kafka floor: one produce → consume round trip (acks=all)", floor));
        return md.toString();
    }

    private static String row(String name, List<Long> samples) {
        return String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms |%n", name, Percentiles.of(samples, 0.5),
                Percentiles.of(samples, 1.0));
    }

    /** Polls the page every 10 ms until it answers 200 (the engine publishes the port before the app listens). */
    private void awaitPage(URI url) {
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Refused or reset while the app starts: ask again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(url + " did not answer within " + DEPLOY_TIMEOUT);
    }

    private static long timed(Runnable step) {
        long started = System.nanoTime();
        step.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static String docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String required(String name) {
        return options.required(name);
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}

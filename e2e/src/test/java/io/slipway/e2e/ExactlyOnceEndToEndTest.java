package io.slipway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.ImageBuilt;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once between stages, proven against the real broker: many runs in flight on the dry-run backend
 * ({@code SLIPWAY_DRY_RUN=true}: nothing is built, tested or copied, so only the hand-offs between stages are at work)
 * while the broker and stage instances are killed with SIGKILL, or a stage instance is paused past its session timeout
 * and resumed. A {@code read_committed} reader ({@code ops}) must then see exactly one event per run on each stage's
 * topic and one queued notification per run, channel and event; a {@code read_uncommitted} reader may see more (the
 * records of aborted transactions), and how many is printed. One stack for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExactlyOnceEndToEndTest {

    private static final Duration FAULT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int REPOSITORIES = 12;
    private static final int SENDERS = 8;
    private static final String BUILDERS = "builder-service";
    /** What a stage instance's log says when the broker refused its transaction or offsets (Kafka's exception names). */
    private static final Pattern REFUSED = Pattern.compile(
            "ProducerFenced|InvalidProducerEpoch|CommitFailed|FencedInstanceId|IllegalGeneration|UnknownMemberId"
                    + "|InvalidPidMapping|TransactionAborted|fenced");

    private final AtomicInteger pushes = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ScheduledExecutorService senders = Executors.newScheduledThreadPool(SENDERS);
    private SlipwayStack slipway;
    private PipelineEvents events;

    /** A push sent as a signed generic webhook: its run id follows from repository, sha and ref. */
    private record Push(String repository, String sha, String ref) {
        String runId() {
            return RunIds.runId(repository, sha, ref);
        }
    }

    @BeforeAll
    void startSlipway() {
        // One build slot: with two builder instances the group then has two members, each owning a partition. The
        // dry-run builder and tester give a poll's records one transaction, so their budget must fit in it.
        slipway = SlipwayStack.start(Map.of("SLIPWAY_DRY_RUN", "true", "SLIPWAY_BUILD_SLOTS", "1",
                "SLIPWAY_BUILD_RETRY_BUDGET", "30s", "SLIPWAY_TESTER_RETRY_BUDGET", "30s"));
        events = slipway.events();
    }

    @AfterAll
    void stopSlipway() {
        senders.shutdownNow();
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    @Order(1)
    void aThousandRunsInFlightThroughBrokerAndStageKillsEndWithOneEventPerRunAndStage() {
        // Paced, so runs keep coming while the stages work, however fast the pipeline drains them.
        CompletableFuture<List<Push>> first = CompletableFuture.supplyAsync(() -> sendPushes(500, 100));
        // The builder takes each record in a transaction of its own (PER_RECORD), the deliverer a poll's records in
        // one (PER_POLL): both are killed at work.
        await("runs reaching the deliverer").atMost(FAULT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> count(CommitReceived.class) >= 200 && count(TestsPassed.class) >= 20);
        slipway.kill(BUILDERS);
        slipway.kill("deliverer-service");
        // The broker is killed while the second half comes in and while nothing is built: runs are then in flight in
        // every stage (the trigger's intake, the builder's backlog, the tester's and the notifier's transactions).
        int acceptedBefore = accepted.get();
        CompletableFuture<List<Push>> second = CompletableFuture.supplyAsync(() -> sendPushes(500, 100));
        await("pushes coming in").atMost(FAULT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> accepted.get() >= acceptedBefore + 100);
        int published = count(ArtifactPublished.class);
        slipway.kill("devstack");
        slipway.upAgain();
        System.out.println("exactly-once: broker killed with " + published + " runs published");
        List<Push> pushes = new ArrayList<>(first.join());
        pushes.addAll(second.join());

        awaitEveryRunPublishedAndAnnounced(pushes);
        assertOneEventPerRunAndStage(pushes);
    }

    @Test
    @Order(2)
    void aStageInstancePausedPastItsSessionTimeoutCannotWriteWhenItResumes() {
        String zombie = BUILDERS + "-2";
        slipway.scale(BUILDERS, 2);
        try {
            // Healthy is not yet in the group: the runs are sent once both instances own a partition.
            await(zombie + " owning a partition").atMost(FAULT_TIMEOUT).pollInterval(POLL)
                    .until(() -> everyMemberOwnsAPartition(BUILDERS, 2));
            int zombieLogBefore = slipway.log(zombie).length();
            int builtBefore = count(ImageBuilt.class);
            CompletableFuture<List<Push>> sending = CompletableFuture.supplyAsync(() -> sendPushes(300, 0));
            await("builds under way").atMost(FAULT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> count(ImageBuilt.class) >= builtBefore + 30);
            slipway.pause(zombie);
            List<Push> pushes;
            try {
                pushes = sending.join();
                // Its partitions go to builder-service once the group gave up on it (session timeout), and every run,
                // those the paused instance held among them, is built there.
                awaitEveryRunPublishedAndAnnounced(pushes);
            } finally {
                slipway.resume(zombie);
            }
            await(zombie + " back in the group").atMost(FAULT_TIMEOUT).pollInterval(POLL)
                    .until(() -> everyMemberOwnsAPartition(BUILDERS, 2));
            List<Push> after = sendPushes(30, 0);
            awaitEveryRunPublishedAndAnnounced(after);

            List<Push> all = new ArrayList<>(pushes);
            all.addAll(after);
            assertOneEventPerRunAndStage(all);
            String resumedLog = slipway.log(zombie).substring(zombieLogBefore);
            List<String> refusals = resumedLog.lines().filter(line -> REFUSED.matcher(line).find()).toList();
            System.out.println("exactly-once: " + zombie + " logged " + refusals.size()
                    + " refusal(s) of its writes after it resumed" + (refusals.isEmpty() ? "" : ", first: " + refusals.get(0)));
        } finally {
            slipway.scale(BUILDERS, 1);
        }
    }

    /**
     * Sends {@code count} pushes, each its own run (its own ref, so none supersedes another), at {@code perSecond}
     * (0: as fast as {@link #SENDERS} senders are answered). A push that is not accepted (the broker is down, the
     * trigger restarting) is sent again, as a forge redelivers, until the trigger answers 202 (or 200: it already had it).
     */
    private List<Push> sendPushes(int count, int perSecond) {
        List<CompletableFuture<Push>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = pushes.incrementAndGet();
            Push push = new Push("e2e/once-" + n % REPOSITORIES, sha1("exactly-once " + n + " " + System.nanoTime()),
                    "refs/heads/once-" + n);
            String body = "{\"repository\":\"" + push.repository() + "\",\"cloneUrl\":\"https://git.example.org/"
                    + push.repository() + ".git\",\"ref\":\"" + push.ref() + "\",\"sha\":\"" + push.sha()
                    + "\",\"message\":\"exactly once " + n + "\",\"author\":{\"name\":\"E2E\",\"email\":"
                    + "\"e2e@example.org\"}}";
            long delay = perSecond == 0 ? 0 : i * 1000L / perSecond;
            CompletableFuture<Push> answered = new CompletableFuture<>();
            senders.schedule(() -> {
                try {
                    int first = answer(body);
                    if (first != 202) {
                        assertThat(first).as("first answer to the webhook of " + push.runId() + " (-1: none)")
                                .matches(status -> status == -1 || status >= 500);
                        await("webhook of " + push.runId() + " accepted").atMost(FAULT_TIMEOUT).pollInterval(POLL)
                                .until(() -> Set.of(200, 202).contains(answer(body)));
                    }
                    accepted.incrementAndGet();
                    answered.complete(push);
                } catch (RuntimeException | Error e) {
                    answered.completeExceptionally(e);
                }
            }, delay, TimeUnit.MILLISECONDS);
            sent.add(answered);
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    /** The trigger's status code for a push webhook with {@code body}, or -1 when it did not answer. */
    private int answer(String body) {
        try {
            return slipway.webhook(body).statusCode();
        } catch (UncheckedIOException unreachable) {
            return -1;
        }
    }

    private void awaitEveryRunPublishedAndAnnounced(List<Push> pushes) {
        Set<String> runs = pushes.stream().map(Push::runId).collect(Collectors.toSet());
        await("every run published").atMost(FAULT_TIMEOUT).pollInterval(POLL).untilAsserted(() ->
                assertThat(events.all().stream().filter(ArtifactPublished.class::isInstance).map(e -> PipelineEvents.run(e).getRunId())
                        .collect(Collectors.toSet())).containsAll(runs));
        await("every run's publication queued for the notifier's channels").atMost(FAULT_TIMEOUT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(deliveries().stream()
                        .filter(d -> d.path("notification").path("kind").asText().equals("PUBLISHED"))
                        .map(d -> d.path("notification").path("runId").asText()).collect(Collectors.toSet()))
                        .containsAll(runs));
    }

    /**
     * Exactly one {@code CommitReceived}, {@code ImageBuilt}, {@code TestsPassed} and {@code ArtifactPublished} per run
     * and no {@code BuildFailed}, as {@code read_committed} reads them; exactly one queued delivery per run, channel and
     * event. What a {@code read_uncommitted} reader sees beyond that is printed: records of aborted transactions.
     */
    private void assertOneEventPerRunAndStage(List<Push> pushes) {
        Set<String> runs = pushes.stream().map(Push::runId).collect(Collectors.toSet());
        assertThat(runs).as("distinct runs").hasSize(pushes.size());
        Map<String, Map<Class<?>, Long>> committed = perRunAndType(events.all(), runs);
        Map<String, Long> deliveries = deliveries().stream()
                .filter(d -> runs.contains(d.path("notification").path("runId").asText()))
                .collect(Collectors.groupingBy(d -> d.path("channel").asText() + " "
                        + d.path("notification").path("eventId").asText(), Collectors.counting()));
        try (PipelineEvents uncommitted = slipway.uncommittedEvents()) {
            long committedCount = total(committed);
            long allCount = total(perRunAndType(uncommitted.all(), runs));
            System.out.printf("exactly-once: %d runs, %d events read_committed, %d read_uncommitted: %d records of "
                    + "aborted transactions%n", runs.size(), committedCount, allCount, allCount - committedCount);
        }

        // How many runs have other than one event of each stage: all of them are listed at once, not the first.
        Map<String, Long> runsAmiss = new TreeMap<>();
        for (String runId : runs) {
            Map<Class<?>, Long> types = committed.getOrDefault(runId, Map.of());
            for (Class<?> type : List.of(CommitReceived.class, ImageBuilt.class, TestsPassed.class, ArtifactPublished.class)) {
                long copies = types.getOrDefault(type, 0L);
                if (copies != 1) {
                    runsAmiss.merge(type.getSimpleName() + " x" + copies, 1L, Long::sum);
                }
            }
            if (types.containsKey(BuildFailed.class)) {
                runsAmiss.merge("BuildFailed", 1L, Long::sum);
            }
        }
        long deliveriesAmiss = deliveries.values().stream().filter(copies -> copies != 1).count();
        assertThat(runsAmiss).as("runs per event read_committed other than once (of " + runs.size() + " runs)").isEmpty();
        assertThat(deliveries).as("queued deliveries per channel and event (read_committed)").isNotEmpty();
        assertThat(deliveriesAmiss).as("deliveries queued more than once (of " + deliveries.size() + ")").isZero();
    }

    private static long total(Map<String, Map<Class<?>, Long>> perRunAndType) {
        return perRunAndType.values().stream().flatMap(types -> types.values().stream()).mapToLong(Long::longValue).sum();
    }

    private static Map<String, Map<Class<?>, Long>> perRunAndType(List<SpecificRecord> events, Set<String> runs) {
        return events.stream().filter(e -> runs.contains(PipelineEvents.run(e).getRunId())).collect(Collectors.groupingBy(
                e -> PipelineEvents.run(e).getRunId(), Collectors.groupingBy(e -> (Class<?>) e.getClass(), Collectors.counting())));
    }

    private int count(Class<? extends SpecificRecord> type) {
        return (int) events.all().stream().filter(type::isInstance).count();
    }

    /**
     * The notifier's queue ({@code slipway.notifier.deliveries}, JSON), read to its end {@code read_committed} as
     * {@code admin}: {@code ops} may read only the pipeline topics, and this one is the notifier's own.
     */
    private List<JsonNode> deliveries() {
        Map<String, Object> config = new HashMap<>(slipway.kafkaClientConfig(SlipwayStack.ADMIN));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], String> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.NOTIFIER_DELIVERIES, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<JsonNode> deliveries = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> deliveries.add(PipelineEvents.json(record.value())));
            }
            return deliveries;
        }
    }

    /** Whether consumer group {@code group} has {@code members} members and each of them owns a partition. */
    private boolean everyMemberOwnsAPartition(String group, int members) {
        try (Admin admin = Admin.create(slipway.kafkaClientConfig(SlipwayStack.ADMIN))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group);
            return description.members().size() == members && description.members().stream()
                    .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        } catch (Exception e) {
            return false;
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}

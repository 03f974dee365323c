package io.slipway.deliverer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.Skopeo;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.common.testing.TestImages;
import io.slipway.common.testing.TestImages.Pushed;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.Stage;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.slipway.deliverer.messaging.DeliveryRuns.image;
import static io.slipway.deliverer.messaging.DeliveryRuns.publishedOf;
import static io.slipway.deliverer.messaging.DeliveryRuns.repository;
import static io.slipway.deliverer.messaging.DeliveryRuns.sha;
import static io.slipway.deliverer.messaging.DeliveryRuns.testsPassed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * deliverer-service through a real broker and schema registry, with real staging and release registries: a
 * {@code TestsPassed} in becomes exactly one {@code ArtifactPublished} (or {@code BuildFailed}) out, and what
 * landed in the release registry is checked with skopeo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryThroughKafkaTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    static Path dir;
    private final SharedDevStack stack = SharedDevStack.get();
    private LocalRegistry staging;
    private LocalRegistry release;
    private LocalRegistry locked;
    private ApplicationContext service;
    private DelivererTopics topics;

    @BeforeAll
    void start() {
        staging = LocalRegistry.start(dir.resolve("staging"), "builder", "staging-secret");
        release = LocalRegistry.start(dir.resolve("release"), "deliverer", "release-secret");
        locked = LocalRegistry.start(dir.resolve("locked"), "owner", "owner-secret");
        service = ApplicationContext.run(config());
        topics = new DelivererTopics(stack);
    }

    @AfterAll
    void stop() {
        topics.close();
        service.close();
        staging.close();
        release.close();
        locked.close();
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("slipway.deliverer.release-registry", release.host());
        LocalRegistry[] registries = {staging, release, locked};
        for (int i = 0; i < registries.length; i++) {
            config.put("slipway.deliverer.registries[" + i + "].host", registries[i].host());
            config.put("slipway.deliverer.registries[" + i + "].username", registries[i].user());
            config.put("slipway.deliverer.registries[" + i + "].password",
                    registries[i] == locked ? "a-guess" : registries[i].password());
        }
        config.put("slipway.deliverer.repositories[0].pattern", "test/locked-*");
        config.put("slipway.deliverer.repositories[0].registry", locked.host());
        config.put("slipway.deliverer.repositories[1].pattern", "test/mirrored-*");
        config.put("slipway.deliverer.repositories[1].mirrors", staging.host() + "/mirror");
        return config;
    }

    private Pushed stage(String repository, String sha) {
        return TestImages.pushSmall(staging, "staging/" + image(repository), sha, "run-" + sha);
    }

    private TestsPassed passed(String repository, String ref, Instant committedAt) {
        String sha = sha();
        return testsPassed(repository, sha, ref, committedAt, staging.host(), stage(repository, sha).digest());
    }

    private String digestOf(LocalRegistry registry, String reference) {
        return Skopeo.inspect(registry, reference).get("Digest").asText();
    }

    @Test
    void publishesTheTestedDigestToTheReleaseRepositoryWithItsTagsAndLabels() {
        String repository = repository("app");
        TestsPassed run = passed(repository, "refs/heads/main", T0);
        String sha = run.getRun().getCommit().getSha();

        topics.send(run);

        ArtifactPublished published = topics.publishedUntil(repository, run.getRun().getRunId()).get(0);
        assertThat(published.getRun()).isEqualTo(run.getRun());
        assertThat(published.getRegistry()).isEqualTo(release.host());
        assertThat(published.getRepository()).isEqualTo(image(repository));
        assertThat(published.getDigest()).isEqualTo(run.getImage().getDigest());
        assertThat(published.getTags()).containsExactly(sha, "main", "latest");
        assertThat(published.getDeploy()).isEqualTo(DeliveryRuns.DEPLOY_INTENT);
        for (String tag : published.getTags()) {
            assertThat(digestOf(release, image(repository) + ":" + tag)).isEqualTo(run.getImage().getDigest());
        }
        JsonNode labels = Skopeo.inspect(release, image(repository) + ":latest").get("Labels");
        assertThat(labels.get("org.opencontainers.image.revision").asText()).isEqualTo(sha);
        assertThat(labels.get("io.slipway.run-id").asText()).isEqualTo("run-" + sha);
        assertThat(labels.get("org.opencontainers.image.source").asText()).isEqualTo("https://git.example.com/org/app");
        assertThat(labels.get("org.opencontainers.image.created").asText()).isEqualTo("2026-03-01T10:00:00Z");
    }

    @Test
    void aRequestsTestsPassedLeavesTheReleaseRepositoryUntouchedWhileAPushOfTheRepositoryIsPromoted() {
        String repository = repository("app");
        TestsPassed request = DeliveryRuns.ofRequest(passed(repository, "refs/pull/12/head", T0), 12, "main");
        TestsPassed push = passed(repository, "refs/heads/main", T0.plusSeconds(60));
        MeterRegistry meters = service.getBean(MeterRegistry.class);
        double requestsBefore = meters.counter("slipway.deliverer.deliveries", "outcome", "request").count();
        int mark = release.requests().size();

        topics.send(request);
        topics.send(push);

        List<ArtifactPublished> published = topics.publishedUntil(repository, push.getRun().getRunId());
        assertThat(published).extracting(e -> e.getRun().getRunId()).containsExactly(push.getRun().getRunId());
        assertThat(topics.eventsOf(Topics.FAILURES, repository)).isEmpty();
        assertThat(topics.deadLettersOf(Topics.TESTS, repository)).isEmpty();
        assertThat(meters.counter("slipway.deliverer.deliveries", "outcome", "request").count())
                .isEqualTo(requestsBefore + 1);
        String requestSha = request.getRun().getCommit().getSha();
        List<LocalRegistry.Request> requests = release.requests();
        assertThat(requests.subList(mark, requests.size())).isNotEmpty().noneSatisfy(r -> assertThat(
                r.uri().contains(request.getImage().getDigest()) || r.uri().contains(requestSha)).isTrue());
        assertThat(Skopeo.tags(release, image(repository)))
                .containsExactlyInAnyOrder(push.getRun().getCommit().getSha(), "main", "latest");
        assertThatThrownBy(() -> Skopeo.inspect(release, image(repository) + "@" + request.getImage().getDigest()))
                .hasMessageContaining("manifest unknown");
    }

    @Test
    void aTestsPassedRedeliveredAfterARestartUploadsNothingAndPublishesNoSecondEvent() {
        String repository = repository("app");
        TestsPassed first = passed(repository, "refs/heads/main", T0);
        topics.send(first);
        topics.publishedUntil(repository, first.getRun().getRunId());
        service.close();
        service = ApplicationContext.run(config());
        int mark = release.requests().size();

        topics.send(first);
        TestsPassed sentinel = passed(repository, "refs/heads/feature/x", T0.plusSeconds(60));
        topics.send(sentinel);

        List<ArtifactPublished> published = topics.publishedUntil(repository, sentinel.getRun().getRunId());
        assertThat(published).extracting(e -> e.getRun().getRunId())
                .containsExactly(first.getRun().getRunId(), sentinel.getRun().getRunId());
        List<LocalRegistry.Request> requests = release.requests();
        List<String> firstRunContent = new ArrayList<>(stagedBlobs(first));
        firstRunContent.add(first.getImage().getDigest());
        assertThat(requests.subList(mark, requests.size())).isNotEmpty().noneSatisfy(r -> {
            assertThat(firstRunContent.stream().anyMatch(r.uri()::contains)
                    || r.method().equals("PUT") && r.uri().matches(".*/manifests/(main|latest|" + first.getRun().getCommit().getSha() + ")"))
                    .isTrue();
        });
    }

    private List<String> stagedBlobs(TestsPassed run) {
        List<String> blobs = new ArrayList<>();
        Skopeo.inspect(staging, run.getImage().getRepository() + "@" + run.getImage().getDigest()).get("Layers")
                .forEach(layer -> blobs.add(layer.asText()));
        return blobs;
    }

    @Test
    void aRunThatFinishesAfterANewerRunOfItsBranchDoesNotMoveTheBranchTagOrLatestBack() {
        String repository = repository("app");
        TestsPassed older = passed(repository, "refs/heads/main", T0);
        TestsPassed newer = passed(repository, "refs/heads/main", T0.plusSeconds(120));

        topics.send(newer);
        topics.send(older);

        List<ArtifactPublished> published = topics.publishedUntil(repository, older.getRun().getRunId());
        assertThat(publishedOf(published, newer).getTags()).containsExactly(newer.getRun().getCommit().getSha(), "main", "latest");
        assertThat(publishedOf(published, older).getTags()).containsExactly(older.getRun().getCommit().getSha());
        assertThat(digestOf(release, image(repository) + ":main")).isEqualTo(newer.getImage().getDigest());
        assertThat(digestOf(release, image(repository) + ":latest")).isEqualTo(newer.getImage().getDigest());
        assertThat(digestOf(release, image(repository) + ":" + older.getRun().getCommit().getSha()))
                .isEqualTo(older.getImage().getDigest());
    }

    @Test
    void aLaterAcceptedRunWithAnEarlierCommitDateTakesMainAndLatest() {
        String repository = repository("app");
        long accepted = T0.toEpochMilli();
        String forgedSha = sha();
        TestsPassed forged = testsPassed(repository, forgedSha, "refs/heads/main", Instant.parse("2099-01-01T00:00:00Z"),
                accepted, staging.host(), "staging/" + image(repository), stage(repository, forgedSha).digest());
        String normalSha = sha();
        TestsPassed normal = testsPassed(repository, normalSha, "refs/heads/main", T0, accepted + 1, staging.host(),
                "staging/" + image(repository), stage(repository, normalSha).digest());

        topics.send(forged);
        topics.send(normal);

        List<ArtifactPublished> published = topics.publishedUntil(repository, normal.getRun().getRunId());
        assertThat(publishedOf(published, forged).getTags()).containsExactly(forgedSha, "main", "latest");
        assertThat(publishedOf(published, normal).getTags()).containsExactly(normalSha, "main", "latest");
        assertThat(digestOf(release, image(repository) + ":main")).isEqualTo(normal.getImage().getDigest());
        assertThat(digestOf(release, image(repository) + ":latest")).isEqualTo(normal.getImage().getDigest());
    }

    @Test
    void anImageNameOfAnotherRepositoryIsRefusedBeforePromotionAndItsReleaseTagsStay() {
        String victim = repository("victim");
        TestsPassed released = passed(victim, "refs/heads/main", T0);
        topics.send(released);
        topics.publishedUntil(victim, released.getRun().getRunId());
        String evil = repository("evil");
        String sha = sha();
        Pushed intruder = TestImages.pushSmall(staging, "staging/" + image(victim), sha, "run-" + sha);
        TestsPassed attack = testsPassed(evil, sha, "refs/heads/main", Instant.parse("2099-01-01T00:00:00Z"),
                Long.MAX_VALUE, staging.host(), "staging/" + image(victim), intruder.digest());

        topics.send(attack);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(topics.eventsOf(Topics.FAILURES, evil))
                .singleElement().satisfies(e -> {
                    BuildFailed failed = (BuildFailed) e;
                    assertThat(failed.getReasonCode()).isEqualTo("CONFIG_INVALID");
                    assertThat(failed.getStage()).isEqualTo(Stage.DELIVER);
                    assertThat(failed.getMessage()).contains(image(victim), evil);
                }));
        assertThat(topics.eventsOf(Topics.ARTIFACTS, evil)).isEmpty();
        assertThat(digestOf(release, image(victim) + ":main")).isEqualTo(released.getImage().getDigest());
        assertThat(digestOf(release, image(victim) + ":latest")).isEqualTo(released.getImage().getDigest());
        assertThat(Skopeo.tags(release, image(victim))).doesNotContain(sha);
    }

    @Test
    void aVersionTagPublishesSemverTagsAndAnOlderPatchLeavesTheMajorTagAlone() {
        String repository = repository("app");
        TestsPassed v210 = passed(repository, "refs/tags/v2.1.0", T0);
        TestsPassed v205 = passed(repository, "refs/tags/v2.0.5", T0.plusSeconds(300));

        topics.send(v210);
        topics.send(v205);

        List<ArtifactPublished> published = topics.publishedUntil(repository, v205.getRun().getRunId());
        assertThat(publishedOf(published, v210).getTags()).containsExactly(v210.getRun().getCommit().getSha(), "2.1.0", "2.1", "2");
        assertThat(publishedOf(published, v205).getTags()).containsExactly(v205.getRun().getCommit().getSha(), "2.0.5", "2.0");
        assertThat(digestOf(release, image(repository) + ":2")).isEqualTo(v210.getImage().getDigest());
        assertThat(digestOf(release, image(repository) + ":2.0")).isEqualTo(v205.getImage().getDigest());
        assertThat(Skopeo.tags(release, image(repository))).doesNotContain("latest");
    }

    /**
     * With the deliverer's own settings (a 2-minute budget, backoff from 200 ms): five attempts, which a count of
     * attempts allowed by default before it dead-lettered the record (about 3 s), are not the end of it.
     */
    @Test
    void aReleaseRegistryDownForLongerThanTheOldAttemptCountIsRiddenOutAndNothingIsDeadLettered() {
        String repository = repository("app");
        TestsPassed run = passed(repository, "refs/heads/main", T0);
        MeterRegistry meters = service.getBean(MeterRegistry.class);
        double retriedBefore = meters.counter("slipway.records", "topic", Topics.TESTS, "outcome", "retried").count();
        release.stop();
        try {
            topics.send(run);
            await().atMost(Duration.ofSeconds(60)).until(() -> meters.counter("slipway.records", "topic", Topics.TESTS,
                    "outcome", "retried").count() >= retriedBefore + 5);
            assertThat(topics.eventsOf(Topics.ARTIFACTS, repository)).isEmpty();
            assertThat(topics.deadLettersOf(Topics.TESTS, repository)).isEmpty();
        } finally {
            release.restart();
        }

        ArtifactPublished published = topics.publishedUntil(repository, run.getRun().getRunId()).get(0);
        assertThat(digestOf(release, image(repository) + ":main")).isEqualTo(published.getDigest());
        assertThat(topics.eventsOf(Topics.FAILURES, repository)).isEmpty();
        assertThat(topics.deadLettersOf(Topics.TESTS, repository)).isEmpty();
    }

    @Test
    void credentialsTheTargetRegistryRefusesEndTheRunWithRegistryAuth() {
        String repository = repository("locked");
        TestsPassed run = passed(repository, "refs/heads/main", T0);

        topics.send(run);

        List<SpecificRecord> failures = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            failures.clear();
            failures.addAll(topics.eventsOf(Topics.FAILURES, repository));
            assertThat(failures).hasSize(1);
        });
        BuildFailed failed = (BuildFailed) failures.get(0);
        assertThat(failed.getStage()).isEqualTo(Stage.DELIVER);
        assertThat(failed.getReasonCode()).isEqualTo("REGISTRY_AUTH");
        assertThat(failed.getRetryable()).isTrue();
        assertThat(failed.getRun()).isEqualTo(run.getRun());
        assertThat(failed.getMessage() + failed.getLogExcerpt()).contains(locked.host()).doesNotContain("a-guess");
        assertThat(topics.eventsOf(Topics.ARTIFACTS, repository)).isEmpty();
    }

    @Test
    void aDigestThatIsNotInStagingEndsTheRunWithArtifactMissing() {
        String repository = repository("app");
        TestsPassed run = testsPassed(repository, sha(), "refs/heads/main", T0, staging.host(), "sha256:" + "0".repeat(64));

        topics.send(run);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(topics.eventsOf(Topics.FAILURES, repository))
                .singleElement().satisfies(e -> assertThat(((BuildFailed) e).getReasonCode()).isEqualTo("ARTIFACT_MISSING")));
    }

    @Test
    void mirrorsReceiveTheSameDigestAndTagsAndEachPublicationIsAnnounced() {
        String repository = repository("mirrored");
        TestsPassed run = passed(repository, "refs/heads/main", T0);

        topics.send(run);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(topics.eventsOf(Topics.ARTIFACTS, repository))
                .hasSize(2));
        List<SpecificRecord> published = topics.eventsOf(Topics.ARTIFACTS, repository);
        assertThat(published).extracting(e -> ((ArtifactPublished) e).getRegistry() + "/" + ((ArtifactPublished) e).getRepository())
                .containsExactly(release.host() + "/" + image(repository), staging.host() + "/mirror/" + image(repository));
        assertThat(published).extracting(e -> ((ArtifactPublished) e).getEventId()).doesNotHaveDuplicates();
        assertThat(digestOf(staging, "mirror/" + image(repository) + ":latest")).isEqualTo(run.getImage().getDigest());
    }

    @Test
    void aMalformedImageOwnerRuleStopsTheServiceAtStartUp() {
        Map<String, Object> config = config();
        config.put("slipway.images.owners[0].repositories", "test/*");
        config.put("slipway.images.owners[0].prefixes", "Shared/Base");
        ApplicationContext context = ApplicationContext.builder().properties(config).build();
        try {
            assertThatThrownBy(context::start).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'Shared/Base'").hasMessageContaining("test/*");
        } finally {
            context.close();
        }
    }

    @Test
    void theStateTopicIsCompactedSoEveryTagAndOutcomeIsKept() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DELIVERER_STATE);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);

            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }
}

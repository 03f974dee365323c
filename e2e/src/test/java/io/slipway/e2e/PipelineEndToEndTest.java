package io.slipway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Stage;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline as a user runs it: the services as separate processes ({@code ./slipway up}), real pushes to a
 * bare repository with trigger-service's hook, the real Docker engine, real registries with htpasswd, and the events
 * read back by Slipway's deserializer and by Confluent's Python client. One stack for the class; every test pushes
 * to a repository of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndTest {

    private static final String GREETING = "Hello from a Slipway-built image";

    private final AtomicInteger repositories = new AtomicInteger();
    private SlipwayStack slipway;
    private PipelineEvents events;

    @BeforeAll
    void startSlipway() {
        slipway = SlipwayStack.start();
        events = slipway.events();
    }

    @AfterAll
    void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void publishesTheTestedDigestUnderShaMainAndLatestWithTheCommitInItsLabelsAndNotifies() {
        SampleRepository app = newRepository(false);
        SampleRepository.Push push = app.push();

        ArtifactPublished published = events.awaitPublished(push.runId());
        String built = digestBuilt(push.runId());
        assertThat(events.ofRun(push.runId(), TestsPassed.class)).singleElement()
                .satisfies(tested -> assertThat(tested.getImage().getDigest()).isEqualTo(built));
        assertThat(published.getDigest()).isEqualTo(built);
        assertThat(published.getRegistry()).isEqualTo(slipway.releaseRegistry().host());
        assertThat(published.getRepository()).isEqualTo(app.name());
        assertThat(published.getTags()).containsExactlyInAnyOrder(push.sha(), "main", "latest");
        assertThat(events.decodedByPython(Topics.ARTIFACTS, push.runId())).singleElement().satisfies(line -> {
            assertThat(line.path("key").asText()).isEqualTo(app.name());
            assertThat(line.path("record").path("digest").asText()).isEqualTo(built);
        });

        assertThat(slipway.releaseTags(app.name())).containsExactlyInAnyOrder(push.sha(), "main", "latest");
        assertTagsPointAt(app, built, push.sha(), "main", "latest");
        JsonNode labels = slipway.releaseImage(app.name(), "main").path("Labels");
        assertThat(labels.path("org.opencontainers.image.revision").asText()).isEqualTo(push.sha());
        assertThat(labels.path("io.slipway.run-id").asText()).isEqualTo(push.runId());

        await("Slack message and success status for " + push.runId()).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(slipway.endpoints().requests("/slack/e2e")).anySatisfy(message -> assertThat(message.body())
                    .contains(push.runId(), built, ":white_check_mark:"));
            assertThat(slipway.endpoints().requests("/github/repos/" + app.name() + "/statuses/" + push.sha()))
                    .anySatisfy(status -> assertThat(status.body()).contains("\"state\":\"success\""));
        });
    }

    @Test
    void reportsAFailingDockerfileStepAsBuildErrorWithItsLogAndPublishesNothing() {
        SampleRepository app = newRepository(false);
        app.commit("Add a step that fails", "Dockerfile", dockerfile -> dockerfile + "RUN [\"/bin/false\"]\n");
        SampleRepository.Push push = app.push();

        BuildFailed failed = events.awaitFailed(push.runId());
        assertThat(failed.getStage()).isEqualTo(Stage.BUILD);
        assertThat(failed.getReasonCode()).isEqualTo("BUILD_ERROR");
        assertThat(failed.getLogExcerpt()).contains("/bin/false");
        assertThat(events.decodedByPython(Topics.FAILURES, push.runId())).singleElement()
                .satisfies(line -> assertThat(line.path("record").path("reasonCode").asText()).isEqualTo("BUILD_ERROR"));
        assertThat(events.ofRun(push.runId())).noneMatch(e -> e instanceof ImageBuilt || e instanceof ArtifactPublished);
        assertThat(slipway.releaseTags(app.name())).isEmpty();
    }

    @Test
    void keepsTheReleaseTagsOnTheLastGoodDigestWhenTheTestsOfANewerCommitFail() {
        SampleRepository app = newRepository(false);
        SampleRepository.Push good = app.push();
        String goodDigest = events.awaitPublished(good.runId()).getDigest();

        app.commit("Change the greeting (breaks tests/structure.yaml)", "www/index.html", page -> page.replace(GREETING, "Goodbye"));
        SampleRepository.Push broken = app.push();

        BuildFailed failed = events.awaitFailed(broken.runId());
        assertThat(failed.getStage()).isEqualTo(Stage.TEST);
        assertThat(failed.getReasonCode()).isEqualTo("TESTS_FAILED");
        assertThat(digestBuilt(broken.runId())).isNotEqualTo(goodDigest);
        assertThat(events.ofRun(broken.runId(), ArtifactPublished.class)).isEmpty();
        assertThat(slipway.releaseTags(app.name())).containsExactlyInAnyOrder(good.sha(), "main", "latest");
        assertTagsPointAt(app, goodDigest, good.sha(), "main", "latest");
    }

    @Test
    void publishesTheNewerOfTwoQuickPushesAndNeverMovesMainBackToTheOlder() {
        SampleRepository app = newRepository(false);
        SampleRepository.Push older = app.push();
        app.commit("A second commit right after the first", "www/index.html", page -> page + "<!-- second -->\n");
        SampleRepository.Push newer = app.push();

        ArtifactPublished newerPublished = events.awaitPublished(newer.runId());
        SpecificRecord olderOutcome = events.awaitOutcome(older.runId());
        String newerDigest = digestBuilt(newer.runId());
        assertThat(newerPublished.getDigest()).isEqualTo(newerDigest);
        assertThat(newerPublished.getTags()).contains(newer.sha(), "main", "latest");
        // The builder supersedes the older commit only if it was still waiting; otherwise both are published, and
        // the deliverer's precedence keeps main on the newer one whichever delivery finished last.
        if (olderOutcome instanceof BuildFailed superseded) {
            assertThat(superseded.getReasonCode()).isEqualTo("SUPERSEDED");
            assertThat(superseded.getStage()).isEqualTo(Stage.BUILD);
            assertThat(slipway.releaseTags(app.name())).containsExactlyInAnyOrder(newer.sha(), "main", "latest");
        } else {
            ArtifactPublished olderPublished = (ArtifactPublished) olderOutcome;
            assertThat(olderPublished.getDigest()).isNotEqualTo(newerDigest);
            if (olderPublished.getEmittedAt().isAfter(newerPublished.getEmittedAt())) {
                assertThat(olderPublished.getTags()).containsExactly(older.sha());
            }
            assertTagsPointAt(app, olderPublished.getDigest(), older.sha());
        }
        assertTagsPointAt(app, newerDigest, newer.sha(), "main", "latest");
    }

    @Test
    void startsExactlyOneRunWhenTheSameWebhookIsDeliveredAgain() {
        SampleRepository app = newRepository(true);
        SampleRepository.Push push = app.push();
        LocalEndpoints.Request webhook = slipway.endpoints().requests("/relay/").stream()
                .filter(r -> r.body().contains("\"" + app.name() + "\"")).findFirst().orElseThrow();

        HttpResponse<String> sameDelivery = slipway.endpoints().deliver(webhook, webhook.headers().get("X-Slipway-Delivery"));
        HttpResponse<String> otherDelivery = slipway.endpoints().deliver(webhook, UUID.randomUUID().toString());
        for (HttpResponse<String> answer : List.of(sameDelivery, otherDelivery)) {
            assertThat(answer.statusCode()).as(answer.body()).isIn(200, 202);
            assertThat(answer.body()).contains("\"runId\":\"" + push.runId() + "\"");
        }
        events.awaitPublished(push.runId());
        HttpResponse<String> afterwards = slipway.endpoints().deliver(webhook, UUID.randomUUID().toString());
        assertThat(afterwards.statusCode()).isEqualTo(200);
        assertThat(afterwards.body()).contains("\"status\":\"duplicate\"", push.runId());

        assertThat(events.decodedByPython(Topics.COMMITS, push.runId())).hasSize(1);
        assertThat(events.decodedByPython(Topics.ARTIFACTS, push.runId())).hasSize(1);
        assertThat(events.ofRun(push.runId(), CommitReceived.class)).hasSize(1);
        assertThat(events.ofRun(push.runId(), ImageBuilt.class)).hasSize(1);
        assertThat(events.ofRun(push.runId(), ArtifactPublished.class)).hasSize(1);
    }

    @Test
    void aThousandRedeliveriesDuringARunCauseNoDuplicateSideEffects() {
        SampleRepository app = newRepository(true);
        SampleRepository.Push push = app.push();
        LocalEndpoints.Request webhook = slipway.endpoints().requests("/relay/").stream()
                .filter(r -> r.body().contains("\"" + app.name() + "\"")).findFirst().orElseThrow();
        String delivery = webhook.headers().get("X-Slipway-Delivery");

        List<Integer> codes = IntStream.range(0, 1000).parallel()
                .mapToObj(i -> slipway.endpoints().deliver(webhook, i % 2 == 0 ? delivery : UUID.randomUUID().toString()))
                .map(HttpResponse::statusCode).toList();
        events.awaitPublished(push.runId());
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(
                slipway.endpoints().requests("/github/repos/" + app.name() + "/statuses/" + push.sha()))
                .anySatisfy(status -> assertThat(status.body()).contains("\"success\"")));

        assertThat(codes).hasSize(1000).allMatch(code -> code == 200 || code == 202);
        assertThat(events.ofRun(push.runId(), CommitReceived.class)).hasSize(1);
        assertThat(events.ofRun(push.runId(), ImageBuilt.class)).hasSize(1);
        assertThat(events.ofRun(push.runId(), ArtifactPublished.class)).hasSize(1);
        assertThat(slipway.endpoints().requests("/slack/e2e")).filteredOn(m -> m.body().contains(push.runId()))
                .as("Slack messages about the run").hasSize(1);
        assertThat(slipway.endpoints().requests("/github/repos/" + app.name() + "/statuses/" + push.sha()))
                .filteredOn(status -> status.body().contains("\"success\"")).as("success statuses").hasSize(1);
    }

    private void assertTagsPointAt(SampleRepository app, String digest, String... tags) {
        for (String tag : tags) {
            assertThat(slipway.releaseImage(app.name(), tag).path("Digest").asText()).as("digest of tag %s", tag)
                    .isEqualTo(digest);
        }
    }

    private SampleRepository newRepository(boolean relayed) {
        return slipway.repository("e2e/app-" + repositories.incrementAndGet(), relayed);
    }

    private String digestBuilt(String runId) {
        List<ImageBuilt> built = events.ofRun(runId, ImageBuilt.class);
        assertThat(built).as("ImageBuilt of run %s", runId).singleElement();
        return built.get(0).getImage().getDigest();
    }
}

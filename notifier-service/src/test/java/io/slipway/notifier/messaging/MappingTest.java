package io.slipway.notifier.messaging;

import io.slipway.events.BuildFailed;
import io.slipway.events.ChangeRequest;
import io.slipway.events.Deployed;
import io.slipway.events.Stage;
import io.slipway.events.RunContext;
import io.slipway.events.TestsPassed;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.ChannelMemory;
import io.slipway.notifier.domain.Delivery;
import io.slipway.notifier.domain.Deployment;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.Notification;
import io.slipway.schemas.SampleEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.slipway.notifier.Samples.REPOSITORY;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingTest {

    @Test
    void mapsEachConsumedEventToItsKindStageAndRun() {
        Notification failed = EventMapping.toNotification(SampleEvents.buildFailed()).orElseThrow();
        Notification published = EventMapping.toNotification(SampleEvents.artifactPublished()).orElseThrow();
        Notification started = EventMapping.toNotification(SampleEvents.commitReceived()).orElseThrow();

        assertThat(failed).extracting(Notification::kind, Notification::stage, Notification::reasonCode, Notification::branch,
                Notification::commitTitle, Notification::author, Notification::repositoryUrl).containsExactly(
                EventKind.FAILED, "BUILD", "BUILD_ERROR", "main", "Fix all the bugs", "Mona Lisa Octocat",
                "https://git.example.com/octo-org/hello-service");
        assertThat(failed.eventId()).isEqualTo(SampleEvents.buildFailed().getEventId());
        assertThat(published.artifact().reference()).isEqualTo("127.0.0.1:5000/release/hello-service@" + SampleEvents.DIGEST);
        assertThat(published).extracting(Notification::kind, Notification::stage).containsExactly(EventKind.PUBLISHED, "DELIVER");
        assertThat(started).extracting(Notification::kind, Notification::stage).containsExactly(EventKind.STARTED, "TRIGGER");
    }

    @Test
    void aSupersededRunIsCancelledNotFailed() {
        BuildFailed superseded = BuildFailed.newBuilder(SampleEvents.buildFailed()).setReasonCode("SUPERSEDED").build();

        assertThat(EventMapping.toNotification(superseded).orElseThrow().kind()).isEqualTo(EventKind.CANCELLED);
    }

    @Test
    void deliveriesAndMemoriesSurviveTheirJsonRoundTrip() {
        Delivery delivery = new Delivery(ChannelId.parse("issues:github"), published(REPOSITORY, "main", T0));
        Delivery failure = new Delivery(ChannelId.parse("slack:ops"), EventMapping.toNotification(SampleEvents.buildFailed()).orElseThrow());
        ChannelMemory memory = new ChannelMemory(List.of("a", "b"),
                new ChannelMemory.OpenIssue("1347", "https://github.com/o/r/issues/1347", T0), List.of("run#1"));

        assertThat(NotifierJson.delivery(NotifierJson.delivery(delivery).getBytes(StandardCharsets.UTF_8))).isEqualTo(delivery);
        assertThat(NotifierJson.delivery(NotifierJson.delivery(failure).getBytes(StandardCharsets.UTF_8))).isEqualTo(failure);
        assertThat(NotifierJson.stored(NotifierJson.memory(memory).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new KafkaStateStore.BranchMemory(memory));
        assertThat(NotifierJson.stored(NotifierJson.memory(ChannelMemory.empty()).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new KafkaStateStore.BranchMemory(ChannelMemory.empty()));
        assertThatThrownBy(() -> NotifierJson.delivery("{\"channel\":\"slack:ops\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notification");
    }

    @Test
    void aPerRepositoryMemoryOfAnOlderVersionIsReadAsEachBranchsPart() {
        String older = "{\"notified\":[\"e1\",\"e2\"],\"finishedRuns\":[\"run#1\"],\"openIssues\":{"
                + "\"main\":{\"id\":\"7\",\"url\":\"https://github.com/o/r/issues/7\",\"lastFailureAt\":\"" + T0 + "\"},"
                + "\"develop\":{\"id\":\"8\",\"url\":null,\"lastFailureAt\":\"" + T0 + "\"}}}";

        KafkaStateStore.Stored stored = NotifierJson.stored(older.getBytes(StandardCharsets.UTF_8));

        assertThat(stored).isInstanceOfSatisfying(KafkaStateStore.RepositoryMemory.class, repository -> {
            assertThat(repository.branch("main")).isEqualTo(new ChannelMemory(List.of("e1", "e2"),
                    new ChannelMemory.OpenIssue("7", "https://github.com/o/r/issues/7", T0), List.of("run#1")));
            assertThat(repository.branch("feature/x")).isEqualTo(new ChannelMemory(List.of("e1", "e2"), null, List.of("run#1")));
        });
    }

    /** The sample run as a run of pull request #12 of a fork, built from its head ref. */
    static RunContext requestRun() {
        RunContext run = SampleEvents.run();
        run.getCommit().setRef("refs/pull/12/head");
        run.setRequest(ChangeRequest.newBuilder().setNumber(12).setKind("pull").setSourceBranch("feature/login")
                .setTargetBranch("main").setSourceRepository("mallory/hello-service").setAuthor("mallory")
                .setFromFork(true).setHeadSha(SampleEvents.SHA).setWebUrl("https://github.com/" + REPOSITORY + "/pull/12")
                .build());
        return run;
    }

    @Test
    void testsPassedEndsTheRunOfARequestButNotOfAPush() {
        TestsPassed ofRequest = TestsPassed.newBuilder(SampleEvents.testsPassed()).setRun(requestRun()).build();

        assertThat(EventMapping.toNotification(SampleEvents.testsPassed())).isEmpty();
        assertThat(EventMapping.toNotification(ofRequest)).hasValueSatisfying(n -> {
            assertThat(n).extracting(Notification::kind, Notification::stage, Notification::subject, Notification::statusSha)
                    .containsExactly(EventKind.PASSED, "TEST", "request:#12", SampleEvents.SHA);
            assertThat(n.request()).isEqualTo(new io.slipway.notifier.domain.ChangeRequest(12,
                    io.slipway.notifier.domain.ChangeRequest.Kind.PULL, "feature/login", "main", "mallory/hello-service",
                    "mallory", true, SampleEvents.SHA, "https://github.com/" + REPOSITORY + "/pull/12"));
        });
    }

    @Test
    void aClosedRequestsRunIsCancelledAndAPathFilteredRunIgnoredNeitherFailed() {
        BuildFailed closed = BuildFailed.newBuilder(SampleEvents.buildFailed()).setReasonCode("CANCELLED").build();
        BuildFailed ignored = BuildFailed.newBuilder(SampleEvents.buildFailed()).setReasonCode("IGNORED").build();

        assertThat(EventMapping.toNotification(closed).orElseThrow().kind()).isEqualTo(EventKind.CANCELLED);
        assertThat(EventMapping.toNotification(ignored).orElseThrow().kind()).isEqualTo(EventKind.IGNORED);
    }

    @Test
    void aDeliveryOfARequestKeepsItsRequestThroughJson() {
        BuildFailed failed = BuildFailed.newBuilder(SampleEvents.buildFailed()).setRun(requestRun()).build();
        Delivery delivery = new Delivery(ChannelId.parse("requests:github"), EventMapping.toNotification(failed).orElseThrow());

        assertThat(NotifierJson.delivery(NotifierJson.delivery(delivery).getBytes(StandardCharsets.UTF_8))).isEqualTo(delivery);
    }

    @Test
    void aDeploymentIsDeployedAndARollbackRolledBackAboutTheirEnvironment() {
        Notification deployed = EventMapping.toNotification(SampleEvents.deployed()).orElseThrow();
        Deployed rollback = Deployed.newBuilder(SampleEvents.deployed()).setRollback(true).setRolledBackRunId("r-out")
                .setReason("SMOKE_FAILED").setPreviousDigest("sha256:1111").build();
        Notification rolledBack = EventMapping.toNotification(rollback).orElseThrow();

        assertThat(deployed).extracting(Notification::kind, Notification::stage, Notification::eventId)
                .containsExactly(EventKind.DEPLOYED, "DEPLOY", SampleEvents.deployed().getEventId());
        assertThat(deployed.deployment()).isEqualTo(new Deployment("staging", "DOCKER", "http://127.0.0.1:8090/", null,
                false, null, null));
        assertThat(deployed.artifact().reference()).isEqualTo("127.0.0.1:5000/release/hello-service@" + SampleEvents.DIGEST);
        assertThat(rolledBack.kind()).isEqualTo(EventKind.ROLLED_BACK);
        assertThat(rolledBack.deployment()).isEqualTo(new Deployment("staging", "DOCKER", "http://127.0.0.1:8090/",
                "sha256:1111", true, "r-out", "SMOKE_FAILED"));
    }

    @Test
    void aFailureAtDeployIsAboutItsEnvironmentUnlessTheConfigurationWasRefused() {
        BuildFailed smoke = BuildFailed.newBuilder(SampleEvents.buildFailed()).setStage(Stage.DEPLOY)
                .setReasonCode("SMOKE_FAILED").setEnvironment("staging").build();
        BuildFailed refused = BuildFailed.newBuilder(smoke).setReasonCode("CONFIG_INVALID").setEnvironment("prod-typo").build();

        assertThat(EventMapping.toNotification(smoke).orElseThrow().deployment()).isEqualTo(Deployment.failed("staging"));
        assertThat(EventMapping.toNotification(smoke).orElseThrow().kind()).isEqualTo(EventKind.FAILED);
        assertThat(EventMapping.toNotification(refused).orElseThrow().deployment()).isNull();
        assertThat(EventMapping.toNotification(SampleEvents.buildFailed()).orElseThrow().deployment()).isNull();
    }

    @Test
    void aDeploymentDeliverySurvivesItsJsonRoundTrip() {
        Deployed rollback = Deployed.newBuilder(SampleEvents.deployed()).setRollback(true).setRolledBackRunId("r-out")
                .setReason("SMOKE_FAILED").build();
        Delivery delivery = new Delivery(ChannelId.parse("deployments:github"),
                EventMapping.toNotification(rollback).orElseThrow());

        assertThat(NotifierJson.delivery(NotifierJson.delivery(delivery).getBytes(StandardCharsets.UTF_8))).isEqualTo(delivery);
    }
}

package io.slipway.deployer.messaging;

import io.slipway.deployer.domain.DeploymentEvents;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.Placement;
import io.slipway.deployer.domain.Promotion;
import io.slipway.deployer.domain.Slot;
import io.slipway.deployer.domain.SmokeCheck;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.DeployIntent;
import io.slipway.events.Deployed;
import io.slipway.events.EnvironmentState;
import io.slipway.events.RunContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventMappingTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Placement placement(String ref, long sequence, boolean rollback) {
        ArtifactPublished event = DeployerTopics.published("demo/app", ref, sequence);
        return new Placement(EventMapping.toPublication(event).run(), EventMapping.toPublication(event).artifact(),
                "http://127.0.0.1:18080/", rollback, T0.plusSeconds(sequence));
    }

    @Test
    void anEnvironmentStateReadsBackAsTheSlotItWasWrittenFrom() {
        Placement current = placement("refs/heads/main", 3, true);
        Promotion pending = new Promotion(placement("refs/heads/main", 4, false), "staging",
                List.of(new SmokeCheck("/health", 204, "ok")), T0.plusSeconds(600), true, "alice", T0);
        Slot slot = new Slot("production", "demo/app", current,
                List.of(placement("refs/heads/main", 2, false), placement("refs/heads/main", 1, false)), pending, T0);

        EnvironmentState state = EventMapping.toState(slot);
        Slot read = EventMapping.toSlot(state);

        assertThat(EventMapping.toState(read)).isEqualTo(state);
        assertThat(read.current().run().runId()).isEqualTo(current.run().runId());
        assertThat(read.current().rollback()).isTrue();
        assertThat(read.history()).extracting(p -> p.artifact().digest())
                .containsExactly(slot.history().get(0).artifact().digest(), slot.history().get(1).artifact().digest());
        assertThat(read.pending()).isEqualTo(new Promotion(read.pending().artifact(), "staging",
                List.of(new SmokeCheck("/health", 204, "ok")), T0.plusSeconds(600), true, "alice", T0));
    }

    @Test
    void theDeployedEventIdDependsOnTheChangeNotOnItsTime() {
        Placement now = placement("refs/heads/main", 1, false);
        DeploymentEvents.Change change = new DeploymentEvents.Change("staging", DeploymentTarget.Kind.DOCKER, now,
                null, false, null, null, T0);
        DeploymentEvents.Change later = new DeploymentEvents.Change("staging", DeploymentTarget.Kind.DOCKER, now,
                null, false, null, null, T0.plusSeconds(60));
        DeploymentEvents.Change rollback = new DeploymentEvents.Change("staging", DeploymentTarget.Kind.DOCKER, now,
                placement("refs/heads/main", 2, false), true, "other", "SMOKE_FAILED", T0);

        Deployed first = EventMapping.toDeployed(change);

        assertThat(EventMapping.toDeployed(later).getEventId()).isEqualTo(first.getEventId());
        assertThat(EventMapping.toDeployed(rollback).getEventId()).isNotEqualTo(first.getEventId());
        assertThat(first.getRun()).isSameAs(now.run().context());
        assertThat(EventMapping.toDeployed(rollback).getPreviousDigest()).isNotNull();
    }

    @Test
    void aSecondRollbackToTheSameRunOrAReRunDeployedAgainIsAChangeWithAnIdOfItsOwn() {
        Placement good = placement("refs/heads/main", 1, true);
        DeploymentEvents.Change first = new DeploymentEvents.Change("staging", DeploymentTarget.Kind.DOCKER, good,
                placement("refs/heads/main", 2, false), true, "run-2", "SMOKE_FAILED", T0);
        DeploymentEvents.Change second = new DeploymentEvents.Change("staging", DeploymentTarget.Kind.DOCKER, good,
                placement("refs/heads/main", 3, false), true, "run-3", "SMOKE_FAILED", T0.plusSeconds(60));
        Placement once = placement("refs/heads/main", 4, false);
        RunContext rerun = RunContext.newBuilder((RunContext) once.run().context()).setAttempt(2).build();
        Placement again = new Placement(EventMapping.toRun(rerun), once.artifact(), once.url(), false, T0);

        assertThat(idOf(second)).isNotEqualTo(idOf(first));
        assertThat(idOf(first)).isEqualTo(idOf(new DeploymentEvents.Change("staging", DeploymentTarget.Kind.DOCKER,
                good, first.previous(), true, "run-2", "SMOKE_FAILED", T0.plusSeconds(5))));
        assertThat(idOf(forward(again))).isNotEqualTo(idOf(forward(once)));
    }

    private static DeploymentEvents.Change forward(Placement placement) {
        return new DeploymentEvents.Change("staging", DeploymentTarget.Kind.DOCKER, placement, null, false, null, null,
                T0);
    }

    private static String idOf(DeploymentEvents.Change change) {
        return EventMapping.toDeployed(change).getEventId();
    }

    @Test
    void aRequestsRunAndTheIntentAreReadFromTheEvent() {
        ArtifactPublished event = ArtifactPublished.newBuilder(DeployerTopics.published("demo/app", "refs/pull/3/head", 1))
                .setDeploy(DeployIntent.newBuilder().setEnvironments(List.of("staging"))
                        .setSmoke(List.of(io.slipway.events.SmokeCheck.newBuilder().setPath("/x").build())).build())
                .build();

        var publication = EventMapping.toPublication(event);

        assertThat(publication.run().request()).isTrue();
        assertThat(publication.intent().environments()).containsExactly("staging");
        assertThat(publication.intent().smoke()).containsExactly(new SmokeCheck("/x", 200, null));
    }
}

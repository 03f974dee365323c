package io.slipway.builder.messaging;

import io.slipway.builder.domain.BuildOutcome;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.events.ChangeRequest;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.DeployIntent;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.SmokeCheck;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the builder takes from a run (the push's previous sha and the request, for path filters, forks and tags) and
 * what {@code ImageBuilt} carries on for the later stages (the deploy intent).
 */
class BuildMappingTest {

    private static CommitReceived commit(String ref, String before, ChangeRequest request) {
        return CommitReceived.newBuilder().setEventId("e-1")
                .setRun(RunContext.newBuilder().setRunId("run-1").setAttempt(1)
                        .setRepository(Repository.newBuilder().setFullName("org/app")
                                .setCloneUrl("https://git.example.org/org/app.git").build())
                        .setCommit(Commit.newBuilder().setSha("a".repeat(40)).setRef(ref).setMessage("m")
                                .setAuthorName("Ada").setTimestamp(Instant.EPOCH).setBefore(before).build())
                        .setTriggeredAt(Instant.EPOCH).setRequest(request).build())
                .setSource("github").setEmittedAt(Instant.EPOCH).build();
    }

    @Test
    void aPushKeepsItsPreviousShaAndHasNoRequest() {
        BuildRequest request = BuildMapping.toRequest(commit("refs/heads/main", "b".repeat(40), null), 2, 7);

        assertThat(request.before()).isEqualTo("b".repeat(40));
        assertThat(request.request()).isNull();
        assertThat(request.untrusted()).isFalse();
    }

    @Test
    void aForksMergeRequestIsUntrustedWithItsNumberKindAndTarget() {
        ChangeRequest change = ChangeRequest.newBuilder().setNumber(12).setKind("merge").setSourceBranch("fix")
                .setTargetBranch("main").setSourceRepository("eve/app").setFromFork(true).setHeadSha("a".repeat(40))
                .setMergeResult(true).build();

        BuildRequest request = BuildMapping.toRequest(commit("refs/merge-requests/12/merge", null, change), 0, 1);

        assertThat(request.request()).isEqualTo(new BuildRequest.ChangeRequest(12, BuildRequest.ChangeRequest.Kind.MERGE,
                "main", "eve/app", true, true));
        assertThat(request.untrusted()).isTrue();
        assertThat(request.request().displayName()).isEqualTo("!12");
        assertThat(request.request().tagPrefix()).isEqualTo("mr-12");
    }

    @Test
    void imageBuiltCarriesTheDeployBlockOfTheCommitForTheDeployer() {
        BuildOutcome.Built built = built(new io.slipway.builder.domain.DeployIntent(List.of("staging", "production"),
                List.of(new io.slipway.builder.domain.DeployIntent.SmokeCheck("/health", 200, null),
                        new io.slipway.builder.domain.DeployIntent.SmokeCheck("/", 203, "Hello"))));

        ImageBuilt event = (ImageBuilt) BuildMapping.toEvent(commit("refs/heads/main", null, null), built, Instant.EPOCH);

        assertThat(event.getDeploy()).isEqualTo(DeployIntent.newBuilder()
                .setEnvironments(List.of("staging", "production"))
                .setSmoke(List.of(SmokeCheck.newBuilder().setPath("/health").setStatus(200).setContains(null).build(),
                        SmokeCheck.newBuilder().setPath("/").setStatus(203).setContains("Hello").build()))
                .build());
    }

    @Test
    void imageBuiltHasNoDeployIntentWhenTheCommitHasNoDeployBlock() {
        ImageBuilt event = (ImageBuilt) BuildMapping.toEvent(commit("refs/heads/main", null, null), built(null),
                Instant.EPOCH);

        assertThat(event.getDeploy()).isNull();
    }

    @Test
    void imageBuiltCarriesTheOciLabelsTheBuildSetAndTheRequestItsAttempt() {
        BuildOutcome.Built labelled = new BuildOutcome.Built(built(null).image(), 10, false, List.of(),
                BuildOutcome.Kind.CONTAINER, null, java.util.Map.of("io.slipway.run-id", "run-1",
                "org.opencontainers.image.revision", "a".repeat(40)));
        CommitReceived commit = commit("refs/heads/main", null, null);
        commit.getRun().setAttempt(3);

        ImageBuilt event = (ImageBuilt) BuildMapping.toEvent(commit, labelled, Instant.EPOCH);

        assertThat(event.getLabels()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("io.slipway.run-id", "run-1",
                "org.opencontainers.image.revision", "a".repeat(40)));
        assertThat(BuildMapping.toRequest(commit, 0, 1).attempt()).isEqualTo(3);
        assertThat(((ImageBuilt) BuildMapping.toEvent(commit, built(null), Instant.EPOCH)).getLabels()).isEmpty();
    }

    private static BuildOutcome.Built built(io.slipway.builder.domain.DeployIntent deploy) {
        return new BuildOutcome.Built(new BuildOutcome.StagedImage("registry.local", "staging/org/app", "a".repeat(40),
                "sha256:" + "b".repeat(64)), 10, false, List.of(), BuildOutcome.Kind.CONTAINER, deploy);
    }
}

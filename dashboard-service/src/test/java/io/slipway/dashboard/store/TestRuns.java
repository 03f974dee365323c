package io.slipway.dashboard.store;

import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.DeploymentRecord;
import io.slipway.events.EnvironmentState;
import io.slipway.events.ImageBuilt;
import io.slipway.events.LogChunk;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;
import io.slipway.events.TestReport;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.SampleEvents;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The sample events of one fresh run (its own repository, run id and event ids), for read-model tests. */
public record TestRuns(RunContext run) {

    /** A run of a new repository {@code owner/app-<random>} on {@code ref}, triggered at {@code triggeredAt}. */
    public static TestRuns of(String owner, String ref, Instant triggeredAt) {
        return in(owner + "/app-" + UUID.randomUUID().toString().substring(0, 8), ref, triggeredAt);
    }

    /** A new run of {@code repository}. */
    public static TestRuns in(String repository, String ref, Instant triggeredAt) {
        RunContext sample = SampleEvents.run();
        String sha = UUID.randomUUID().toString().replace("-", "") + "abcdefgh";
        return new TestRuns(RunContext.newBuilder(sample)
                .setRunId(repository + "@" + sha.substring(0, 12))
                .setRepository(Repository.newBuilder(sample.getRepository()).setFullName(repository).build())
                .setCommit(Commit.newBuilder(sample.getCommit()).setSha(sha).setRef(ref).build())
                .setTriggeredAt(triggeredAt)
                .build());
    }

    public String runId() {
        return run.getRunId();
    }

    public String repository() {
        return run.getRepository().getFullName();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    public CommitReceived commitReceived() {
        return CommitReceived.newBuilder(SampleEvents.commitReceived()).setEventId(id()).setRun(run).build();
    }

    public ImageBuilt imageBuilt() {
        return ImageBuilt.newBuilder(SampleEvents.imageBuilt()).setEventId(id()).setRun(run)
                .setEmittedAt(run.getTriggeredAt().plusSeconds(45)).build();
    }

    public TestsPassed testsPassed() {
        return TestsPassed.newBuilder(SampleEvents.testsPassed()).setEventId(id()).setRun(run)
                .setEmittedAt(run.getTriggeredAt().plusSeconds(60)).build();
    }

    public ArtifactPublished artifactPublished() {
        return ArtifactPublished.newBuilder(SampleEvents.artifactPublished()).setEventId(id()).setRun(run)
                .setEmittedAt(run.getTriggeredAt().plusSeconds(75)).build();
    }

    public Deployed deployed(String environment) {
        return Deployed.newBuilder(SampleEvents.deployed()).setEventId(id()).setRun(run).setEnvironment(environment)
                .setEmittedAt(run.getTriggeredAt().plusSeconds(90)).build();
    }

    public BuildFailed failed(Stage stage, String reason) {
        return BuildFailed.newBuilder(SampleEvents.buildFailed()).setEventId(id()).setRun(run).setStage(stage)
                .setReasonCode(reason).setEmittedAt(run.getTriggeredAt().plusSeconds(30)).build();
    }

    public LogChunk chunk(long sequence, String text, boolean last) {
        return LogChunk.newBuilder(SampleEvents.logChunk()).setRunId(run.getRunId()).setAttempt(run.getAttempt())
                .setRepository(repository()).setSequence(sequence).setText(text).setLast(last).build();
    }

    public TestReport report(String junitXml) {
        return TestReport.newBuilder(SampleEvents.testReport()).setEventId(id()).setRun(run).setJunitXml(junitXml)
                .build();
    }

    public TestReport report() {
        return TestReport.newBuilder(SampleEvents.testReport()).setEventId(id()).setRun(run).build();
    }

    public EnvironmentState environmentState(String environment) {
        DeploymentRecord current = DeploymentRecord.newBuilder().setRun(run)
                .setKind(io.slipway.events.ArtifactKind.CONTAINER).setRegistry("127.0.0.1:5000")
                .setRepository("release/app").setDigest(SampleEvents.DIGEST).setUrl("http://127.0.0.1:8090/")
                .setDeployedAt(run.getTriggeredAt().plusSeconds(90)).build();
        return EnvironmentState.newBuilder().setEnvironment(environment).setRepository(repository())
                .setCurrent(current).setHistory(List.of()).setPending(null)
                .setUpdatedAt(run.getTriggeredAt().plusSeconds(91)).build();
    }
}

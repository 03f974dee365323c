package io.slipway.schemas;

import io.slipway.events.ArtifactKind;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.DeployTargetKind;
import io.slipway.events.Deployed;
import io.slipway.events.BuildFailed;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.ImageBuilt;
import io.slipway.events.ImageReference;
import io.slipway.events.LogChunk;
import io.slipway.events.TestReport;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;
import io.slipway.events.SuiteResult;
import io.slipway.events.TestsPassed;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * One valid instance of each pipeline event, all belonging to the same run, for tests. Every optional field is
 * set, so a round trip that drops a field shows up as a difference.
 */
public final class SampleEvents {

    public static final String REPOSITORY = "octo-org/hello-service";
    public static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    public static final String REF = "refs/heads/main";
    public static final Instant COMMITTED_AT = Instant.parse("2025-03-14T09:26:53.589Z");
    public static final Instant TRIGGERED_AT = Instant.parse("2025-03-14T09:27:01.250Z");
    public static final String DIGEST = "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7";

    private SampleEvents() {
    }

    public static RunContext run() {
        return RunContext.newBuilder()
                .setRunId(RunIds.runId(REPOSITORY, SHA, REF))
                .setAttempt(1)
                .setRepository(Repository.newBuilder()
                        .setFullName(REPOSITORY)
                        .setCloneUrl("https://git.example.com/" + REPOSITORY + ".git")
                        .setWebUrl("https://git.example.com/" + REPOSITORY)
                        .build())
                .setCommit(Commit.newBuilder()
                        .setSha(SHA)
                        .setRef(REF)
                        .setMessage("Fix all the bugs\n\nAnd add ünïcödé to the message.")
                        .setAuthorName("Mona Lisa Octocat")
                        .setAuthorEmail("mona@example.com")
                        .setTimestamp(COMMITTED_AT)
                        .build())
                .setTriggeredAt(TRIGGERED_AT)
                .setAcceptedSequence(TRIGGERED_AT.toEpochMilli())
                .build();
    }

    public static ImageReference stagedImage() {
        return ImageReference.newBuilder()
                .setRegistry("127.0.0.1:5000")
                .setRepository("staging/hello-service")
                .setTag(SHA.substring(0, 12))
                .setDigest(DIGEST)
                .build();
    }

    public static CommitReceived commitReceived() {
        return CommitReceived.newBuilder()
                .setEventId("0b1f4c1e-7c55-4c43-9a35-6d8f0c6f5a01")
                .setRun(run())
                .setSource("github")
                .setDeliveryId("72d3162e-cc78-11e3-81ab-4c9367dc0958")
                .setEmittedAt(TRIGGERED_AT.plusMillis(3))
                .build();
    }

    public static ImageBuilt imageBuilt() {
        return ImageBuilt.newBuilder()
                .setEventId("0b1f4c1e-7c55-4c43-9a35-6d8f0c6f5a02")
                .setRun(run())
                .setImage(stagedImage())
                .setKind(ArtifactKind.CONTAINER)
                .setBuildDurationMillis(42_137L)
                .setCacheHit(true)
                .setEmittedAt(TRIGGERED_AT.plusSeconds(45))
                .setLabels(java.util.Map.of("org.opencontainers.image.revision", SHA,
                        "io.slipway.run-id", run().getRunId()))
                .build();
    }

    public static TestsPassed testsPassed() {
        return TestsPassed.newBuilder()
                .setEventId("0b1f4c1e-7c55-4c43-9a35-6d8f0c6f5a03")
                .setRun(run())
                .setImage(stagedImage())
                .setKind(ArtifactKind.CONTAINER)
                .setSuites(List.of(
                        SuiteResult.newBuilder().setName("structure").setOrigin("APPLICATION")
                                .setPassed(12).setFailed(0).setSkipped(1).setDurationMillis(2_300L).build(),
                        SuiteResult.newBuilder().setName("provider-baseline").setOrigin("PROVIDER")
                                .setPassed(7).setFailed(0).setSkipped(0).setDurationMillis(910L).build()))
                .setReportLocation("http://127.0.0.1:8084/runs/" + run().getRunId() + "/junit.xml")
                .setEmittedAt(TRIGGERED_AT.plusSeconds(60))
                .build();
    }

    public static ArtifactPublished artifactPublished() {
        return ArtifactPublished.newBuilder()
                .setEventId("0b1f4c1e-7c55-4c43-9a35-6d8f0c6f5a04")
                .setRun(run())
                .setKind(ArtifactKind.CONTAINER)
                .setRegistry("127.0.0.1:5000")
                .setRepository("release/hello-service")
                .setDigest(DIGEST)
                .setTags(List.of(SHA, "main", "latest"))
                .setEmittedAt(TRIGGERED_AT.plusSeconds(75))
                .build();
    }

    public static Deployed deployed() {
        return Deployed.newBuilder()
                .setEventId("0b1f4c1e-7c55-4c43-9a35-6d8f0c6f5a06")
                .setRun(run())
                .setEnvironment("staging")
                .setTargetKind(DeployTargetKind.DOCKER)
                .setKind(ArtifactKind.CONTAINER)
                .setRegistry("127.0.0.1:5000")
                .setRepository("release/hello-service")
                .setDigest(DIGEST)
                .setPreviousDigest(null)
                .setUrl("http://127.0.0.1:8090/")
                .setEmittedAt(TRIGGERED_AT.plusSeconds(90))
                .build();
    }

    public static BuildFailed buildFailed() {
        return BuildFailed.newBuilder()
                .setEventId("0b1f4c1e-7c55-4c43-9a35-6d8f0c6f5a05")
                .setRun(run())
                .setStage(Stage.BUILD)
                .setReasonCode("BUILD_ERROR")
                .setMessage("The Dockerfile step RUN make failed with exit code 2.")
                .setLogExcerpt("make: *** [Makefile:12: all] Error 2")
                .setRetryable(false)
                .setEmittedAt(TRIGGERED_AT.plusSeconds(30))
                .build();
    }

    /** The first chunk of the run's build log. */
    public static LogChunk logChunk() {
        return LogChunk.newBuilder()
                .setRunId(run().getRunId())
                .setAttempt(run().getAttempt())
                .setRepository(REPOSITORY)
                .setStage(Stage.BUILD)
                .setSequence(0)
                .setText("Step 1/3 : FROM scratch\nStep 2/3 : COPY busybox /bin/busybox")
                .setLast(false)
                .setTruncated(false)
                .setEmittedAt(TRIGGERED_AT.plusSeconds(5))
                .build();
    }

    /** The run's JUnit XML report: one suite, one passed and one failed case. */
    public static TestReport testReport() {
        return TestReport.newBuilder()
                .setEventId("0b1f4c1e-7c55-4c43-9a35-6d8f0c6f5a07")
                .setRun(run())
                .setPassed(false)
                .setJunitXml("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <testsuites tests="2" failures="1">
                          <testsuite name="structure" tests="2" failures="1" time="0.120">
                            <testcase classname="structure" name="busybox is present" time="0.050"/>
                            <testcase classname="structure" name="echo says hello" time="0.070">
                              <failure message="expected output hello, got bye">stdout: bye</failure>
                            </testcase>
                          </testsuite>
                        </testsuites>
                        """)
                .setTruncated(false)
                .setEmittedAt(TRIGGERED_AT.plusSeconds(58))
                .build();
    }

    /** One instance of each run stream's record, in the order of {@link Topics#RUN_STREAMS}. */
    public static List<SpecificRecord> runStreams() {
        return List.of(logChunk(), testReport());
    }

    /** One instance of every event, in the order of {@link Topics#PIPELINE}. */
    public static List<SpecificRecord> all() {
        return List.of(commitReceived(), imageBuilt(), testsPassed(), artifactPublished(), deployed(), buildFailed());
    }
}

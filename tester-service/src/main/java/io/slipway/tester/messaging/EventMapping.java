package io.slipway.tester.messaging;

import io.slipway.events.ArtifactKind;
import io.slipway.events.BuildFailed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.ImageReference;
import io.slipway.events.Stage;
import io.slipway.events.SuiteResult;
import io.slipway.events.TestReport;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.RunIds;
import io.slipway.tester.domain.ImageRef;
import io.slipway.tester.domain.Outcome;
import io.slipway.tester.domain.SuiteFile;
import io.slipway.tester.domain.TestRequest;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;

/**
 * Maps {@code ImageBuilt} to the tester's request and its outcome to {@code TestsPassed} or {@code BuildFailed} (and its
 * report to {@code TestReport}).
 */
final class EventMapping {

    private EventMapping() {
    }

    static TestRequest request(ImageBuilt event) {
        ImageReference image = event.getImage();
        return new TestRequest(event.getRun().getRunId(), event.getRun().getAttempt(),
                new ImageRef(image.getRegistry(), image.getRepository(), image.getDigest()),
                event.getKind() == ArtifactKind.CONTAINER,
                event.getTestSuites().stream().map(s -> new SuiteFile(s.getPath(), s.getContent())).toList());
    }

    /** The run's JUnit report as {@code TestReport}; {@code outcome} has one ({@link Outcome#report()}). */
    static TestReport report(ImageBuilt in, Outcome outcome, Instant now) {
        return TestReport.newBuilder()
                .setEventId(RunIds.newEventId())
                .setRun(in.getRun())
                .setPassed(outcome instanceof Outcome.Passed)
                .setJunitXml(outcome.report().xml())
                .setTruncated(outcome.report().truncated())
                .setEmittedAt(now)
                .build();
    }

    /**
     * The event that reports {@code outcome}; {@code run}, image, kind and the repository's deploy intent are copied
     * from {@code in} unchanged (the intent is the deployer's business, whatever the tester ran).
     */
    static SpecificRecord outcome(ImageBuilt in, Outcome outcome, Instant now) {
        if (outcome instanceof Outcome.Passed passed) {
            return TestsPassed.newBuilder()
                    .setEventId(RunIds.newEventId())
                    .setRun(in.getRun())
                    .setImage(in.getImage())
                    .setKind(in.getKind())
                    .setSuites(passed.suites().stream().map(s -> SuiteResult.newBuilder().setName(s.name())
                            .setOrigin(s.origin().name()).setPassed(s.passed()).setFailed(s.failed())
                            .setSkipped(s.skipped()).setDurationMillis(s.durationMillis()).build()).toList())
                    .setReportLocation(passed.reportLocation())
                    .setEmittedAt(now)
                    .setDeploy(in.getDeploy())
                    .build();
        }
        Outcome.Failed failed = (Outcome.Failed) outcome;
        return BuildFailed.newBuilder()
                .setEventId(RunIds.newEventId())
                .setRun(in.getRun())
                .setStage(Stage.TEST)
                .setReasonCode(failed.reason().name())
                .setMessage(failed.message())
                .setLogExcerpt(failed.excerpt() == null || failed.excerpt().isBlank() ? null : failed.excerpt())
                .setRetryable(failed.retryable())
                .setEmittedAt(now)
                .build();
    }
}

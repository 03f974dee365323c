package io.slipway.dashboard.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the run page shows about one run attempt. Lists are in display order: the timeline oldest first, test
 * cases failed first (FAILED, ERROR, then SKIPPED, then PASSED, each in report order), deployments newest first.
 * {@code commitUrl} and {@code requestUrl} are links to the forge, null when the forge is unknown.
 */
public record RunDetail(RunSummary summary, String message, Instant commitTime, String commitUrl, String requestUrl,
                        List<TimelineEntry> timeline, List<Artifact> artifacts, TestReport report,
                        List<Deployment> deployments, List<Failure> failures, LogState log) {

    /** One event of the run: {@code kind} is the Avro record name, {@code detailJson} the event as Avro JSON. */
    public record TimelineEntry(String eventId, String kind, String stage, Instant occurredAt, String environment,
                                String summary, String detailJson) {
    }

    /** The image built ({@code phase} STAGED) or published (RELEASED). */
    public record Artifact(String phase, String kind, String registry, String repository, String digest,
                           List<String> tags, Map<String, String> labels) {
    }

    /** The test report: its cases in display order; null when no report arrived for this attempt. */
    public record TestReport(boolean passed, boolean truncated, List<TestCase> cases) {
    }

    /** One test case; {@code outcome} is FAILED, ERROR, SKIPPED or PASSED. */
    public record TestCase(String suite, String name, String outcome, String message, long durationMillis) {
    }

    /** A failure of the attempt; {@code environment} is set for a failed deployment (stage DEPLOY). */
    public record Failure(String stage, String reason, String message, String logExcerpt, boolean retryable,
                          String environment, Instant failedAt) {
    }

    /** How much build log the attempt has kept, and whether chunks were dropped at the limit. */
    public record LogState(long bytes, boolean truncated) {
    }
}

package io.slipway.dashboard.store;

import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.SuiteResult;
import io.slipway.events.TestsPassed;

import java.util.Locale;

/** The one-line timeline summary of each pipeline event (stored bounded; pages escape it). */
final class Summaries {

    private Summaries() {
    }

    static String of(CommitReceived e) {
        return "accepted " + shortSha(e.getRun().getCommit().getSha()) + " on " + JdbcProjection.branch(e.getRun())
                + " from " + e.getSource();
    }

    static String of(ImageBuilt e) {
        return "built " + e.getImage().getDigest() + " in " + seconds(e.getBuildDurationMillis())
                + (e.getCacheHit() ? " (cache hit)" : "");
    }

    static String of(TestsPassed e) {
        int passed = 0;
        int skipped = 0;
        long millis = 0;
        for (SuiteResult suite : e.getSuites()) {
            passed += suite.getPassed();
            skipped += suite.getSkipped();
            millis += suite.getDurationMillis();
        }
        return "tests passed: " + passed + " passed, " + skipped + " skipped in " + e.getSuites().size()
                + (e.getSuites().size() == 1 ? " suite, " : " suites, ") + seconds(millis);
    }

    static String of(ArtifactPublished e) {
        return "published " + e.getRegistry() + "/" + e.getRepository() + "@" + e.getDigest()
                + (e.getTags().isEmpty() ? "" : " as " + String.join(", ", e.getTags()));
    }

    static String of(Deployed e) {
        return (e.getRollback() ? "rolled " + e.getEnvironment() + " back to " : "deployed ") + e.getDigest()
                + (e.getRollback() ? "" : " to " + e.getEnvironment());
    }

    static String of(BuildFailed e) {
        String message = JdbcProjection.title(e.getMessage());
        return e.getStage().name().toLowerCase(Locale.ROOT) + " failed: " + e.getReasonCode()
                + (message.isEmpty() ? "" : ": " + message);
    }

    private static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}

package io.slipway.notifier.domain;

import io.slipway.common.links.RunLinks;
import io.slipway.common.text.SecretMask;

import java.util.Collection;
import java.util.Optional;

/**
 * The words people read: issue titles, bodies and comments (Markdown, which GitHub and GitLab both render),
 * commit status descriptions and the links to a run and to an artifact. Every text taken from a run is masked
 * and bounded by {@link LogExcerpt}. One title per repository and branch, so the issue is recognisable, and an issue
 * body ends with its {@link IssueMarker}, so the notifier recognises it.
 */
public final class NotificationTexts {

    /** GitHub shows about this much of a status description; GitLab accepts 255. */
    static final int STATUS_DESCRIPTION_CHARS = 140;

    private final String runUrlTemplate;
    private final String artifactUrlTemplate;
    private final int excerptChars;
    private final SecretMask secrets;

    /**
     * @param runUrlTemplate      link to a run attempt, {@code {runId}} and {@code {attempt}} replaced; null or blank
     *                            for none
     * @param artifactUrlTemplate link to an artifact, {@code {registry}}, {@code {repository}}, {@code {digest}} replaced
     * @param excerptChars        the most characters of a log excerpt shown
     * @param secrets             configured credentials, masked wherever they appear
     */
    public NotificationTexts(String runUrlTemplate, String artifactUrlTemplate, int excerptChars,
                             Collection<String> secrets) {
        this.runUrlTemplate = runUrlTemplate;
        this.artifactUrlTemplate = artifactUrlTemplate;
        this.excerptChars = excerptChars;
        this.secrets = new SecretMask(secrets);
    }

    public String issueTitle(Notification n) {
        return "Slipway: " + n.branch() + " of " + n.repository() + " is failing";
    }

    public String issueBody(Notification n) {
        return "Slipway could not deliver **" + n.branch() + "** of **" + n.repository() + "**.\n\n"
                + failureDetails(n)
                + "\nFurther failures of this branch are added here as comments; Slipway closes this issue when the"
                + " branch publishes again.\n\n" + IssueMarker.of(n).line() + "\n";
    }

    public String repeatedFailure(Notification n) {
        return "Failed again.\n\n" + failureDetails(n);
    }

    public String recovered(Notification n) {
        String artifact = n.artifact() == null ? "" : " as `" + n.artifact().reference() + "`"
                + artifactUrl(n).map(url -> " ([artifact](" + url + "))").orElse("");
        return "**" + n.branch() + "** published again from " + commitLink(n) + artifact + ". Closing.";
    }

    public String statusDescription(Notification n) {
        String text = switch (n.kind()) {
            case STARTED -> "Run started";
            case PUBLISHED -> "Published " + (n.artifact() == null ? "" : n.artifact().reference());
            case PASSED -> "Built and tested";
            case CANCELLED -> "CANCELLED".equals(n.reasonCode()) ? "Cancelled: the request was closed"
                    : "Superseded by a newer commit";
            case IGNORED -> "Skipped: no changed path matches the path filters";
            case FAILED -> n.isDeployment() ? "Deploying to " + n.deployment().environment() + " failed: "
                    + n.reasonCode() + "; " + keepsPrevious(n)
                    : n.stage() + " failed: " + n.reasonCode() + (n.message() == null ? "" : " - " + n.message());
            case DEPLOYED -> "Deployed to " + environment(n);
            case ROLLED_BACK -> "Restored in " + environment(n) + rollbackReason(n);
        };
        String masked = LogExcerpt.mask(text.replace('\n', ' '), secrets);
        return masked.length() <= STATUS_DESCRIPTION_CHARS ? masked
                : masked.substring(0, STATUS_DESCRIPTION_CHARS - 1) + "…";
    }

    /** One plain line saying what happened, for notification previews. */
    public String summary(Notification n) {
        String where = n.repository() + " " + (n.isRequest() ? n.request().displayName() : n.branch()) + " @ "
                + n.shortSha();
        return switch (n.kind()) {
            case STARTED -> "Run started: " + where;
            case PUBLISHED -> "Published: " + where;
            case PASSED -> "Passed: " + where;
            case CANCELLED -> ("CANCELLED".equals(n.reasonCode()) ? "Cancelled: " : "Superseded: ") + where;
            case IGNORED -> "Ignored: " + where;
            case FAILED -> (n.isDeployment() ? "Failed to deploy to " + n.deployment().environment()
                    : "Failed at " + n.stage()) + " (" + n.reasonCode() + "): " + where;
            case DEPLOYED -> "Deployed to " + environment(n) + ": " + where;
            case ROLLED_BACK -> "Rolled back in " + environment(n) + ": " + where;
        };
    }

    /** That a failed deployment changed nothing: the environment keeps the version it ran. */
    public String keepsPrevious(Notification n) {
        return n.deployment().environment() + " keeps its previous version";
    }

    /** Why a rollback happened and which run it took out, e.g. {@code  (SMOKE_FAILED; took out run r-2)}. */
    public String rollbackReason(Notification n) {
        Deployment d = n.deployment();
        String reason = d == null || d.reason() == null || d.reason().isBlank() ? ""
                : LogExcerpt.mask(d.reason(), secrets);
        String out = d == null || d.rolledBackRunId() == null ? "" : "took out run " + d.rolledBackRunId();
        String both = reason.isEmpty() || out.isEmpty() ? reason + out : reason + "; " + out;
        return both.isEmpty() ? "" : " (" + both + ")";
    }

    /**
     * Where a commit status links: the environment's URL for a deployment or rollback that has one, else the run.
     */
    public Optional<String> statusUrl(Notification n) {
        if ((n.kind() == EventKind.DEPLOYED || n.kind() == EventKind.ROLLED_BACK) && n.deployment().url() != null
                && !n.deployment().url().isBlank()) {
            return Optional.of(n.deployment().url());
        }
        return runUrl(n);
    }

    private static String environment(Notification n) {
        return n.isDeployment() ? n.deployment().environment() : "an environment";
    }

    /**
     * The comment on a pull or merge request whose run failed: what failed, the head commit, message and log excerpt,
     * ending with the request's {@link IssueMarker} so the notifier finds it again.
     */
    public String requestFailing(Notification n) {
        return "### :x: Slipway: " + n.request().displayName() + " fails at " + n.stage() + "\n\n"
                + failureDetails(n)
                + "\nSlipway updates this comment when the request runs again.\n\n" + IssueMarker.of(n).line() + "\n";
    }

    /** The same comment once a later run of the request passed: it says so, and keeps its marker. */
    public String requestPassing(Notification n) {
        return "### :white_check_mark: Slipway: " + n.request().displayName() + " passes now\n\n"
                + "Head " + commitLink(n) + " was built and tested"
                + runUrl(n).map(u -> " ([run " + n.runId() + "](" + u + "))").orElse(" (run `" + n.runId() + "`)")
                + ".\n\n" + IssueMarker.of(n).line() + "\n";
    }

    /** The run's message, masked, without line breaks. */
    public Optional<String> message(Notification n) {
        return Optional.ofNullable(n.message()).filter(m -> !m.isBlank()).map(m -> LogExcerpt.mask(m, secrets));
    }

    /** The log excerpt, masked and cut to at most {@code maxChars} (and the configured bound). */
    public Optional<String> excerpt(Notification n, int maxChars) {
        return Optional.ofNullable(n.logExcerpt()).filter(e -> !e.isBlank())
                .map(e -> LogExcerpt.safe(e, Math.min(maxChars, excerptChars), secrets));
    }

    public Optional<String> runUrl(Notification n) {
        return Optional.ofNullable(runUrlTemplate).filter(t -> !t.isBlank())
                .map(t -> RunLinks.fill(t, n.runId(), n.attempt()));
    }

    public Optional<String> artifactUrl(Notification n) {
        return Optional.ofNullable(n.artifact()).filter(a -> artifactUrlTemplate != null && !artifactUrlTemplate.isBlank())
                .map(a -> artifactUrlTemplate.replace("{registry}", a.registry())
                        .replace("{repository}", a.repository()).replace("{digest}", a.digest()));
    }

    private String failureDetails(Notification n) {
        StringBuilder text = new StringBuilder("| | |\n|---|---|\n")
                .append("| Stage | ").append(n.stage()).append(" |\n")
                .append("| Reason | `").append(cell(n.reasonCode())).append("` |\n")
                .append(n.isRequest() ? "| Head | " : "| Commit | ").append(commitLink(n)).append(' ').append(cell(n.commitTitle())).append(" |\n")
                .append("| Author | ").append(cell(n.requestOrCommitAuthor())).append(" |\n")
                .append("| Run | ").append(runUrl(n).map(u -> "[" + n.runId() + "](" + u + ")").orElse("`" + n.runId() + "`"))
                .append(" (attempt ").append(n.attempt()).append(") |\n\n");
        message(n).ifPresent(m -> text.append("> ").append(m.replace("\n", "\n> ")).append("\n\n"));
        excerpt(n, excerptChars).ifPresent(e -> text.append("<details><summary>Log excerpt</summary>\n\n```text\n")
                .append(e).append("\n```\n</details>\n"));
        return text.toString();
    }

    private String commitLink(Notification n) {
        return n.commitUrl().map(url -> "[`" + n.shortSha() + "`](" + url + ")").orElse("`" + n.shortSha() + "`");
    }

    private String cell(String value) {
        return value == null ? "" : LogExcerpt.mask(value, secrets).replace("|", "\\|").replace('\n', ' ');
    }
}

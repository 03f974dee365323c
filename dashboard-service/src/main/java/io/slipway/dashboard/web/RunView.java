package io.slipway.dashboard.web;

import io.slipway.dashboard.domain.Deployment;
import io.slipway.dashboard.domain.RunDetail;
import io.slipway.dashboard.domain.RunSummary;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the page of one run attempt: commit, timeline, artifacts, test report (failed cases first), deployments,
 * failures and the build log, which the page's script loads and follows.
 */
final class RunView {

    private RunView() {
    }

    static String page(RunDetail run, List<Integer> attempts, Instant now) {
        RunSummary summary = run.summary();
        String base = RunPaths.page(summary.runId(), summary.attempt());
        StringBuilder body = new StringBuilder();
        body.append("<article class=\"run\" data-run=\"").append(Html.attribute(summary.runId()))
                .append("\" data-attempt=\"").append(summary.attempt()).append("\">");
        body.append("<h1>").append(Formats.status(String.valueOf(summary.status()))).append(' ')
                .append(Html.text(summary.title() == null || summary.title().isBlank() ? summary.runId() : summary.title()))
                .append("</h1>");
        body.append("<p class=\"facts\">").append(Html.text(summary.repository())).append(" · ")
                .append(Html.text(RunsPage.branch(summary))).append(" · stage <span class=\"stage\">")
                .append(Html.text(summary.stage())).append("</span>");
        if (summary.reason() != null) {
            body.append(" · reason ").append(Html.text(summary.reason()));
        }
        body.append(" · started ").append(Formats.time(summary.triggeredAt())).append(" · ")
                .append(Formats.duration(summary.triggeredAt(), summary.finishedAt() == null ? now : summary.finishedAt()))
                .append("</p>");
        body.append("<p id=\"run-changed\" class=\"action-result\" hidden><a href=\"")
                .append(Html.attribute(base)).append("\">This run has moved on: show it as it is now</a></p>");
        body.append(attempts(summary, attempts));
        body.append(commit(run));
        body.append(timeline(run.timeline()));
        body.append(artifacts(run.artifacts()));
        body.append(report(run.report(), base));
        body.append(deployments(run.deployments()));
        body.append(failures(run.failures()));
        body.append(log(run.log(), base));
        body.append("</article>");
        return Layout.page(summary.title() == null ? "Run" : summary.title(), "/runs", body.toString());
    }

    private static String attempts(RunSummary summary, List<Integer> attempts) {
        if (attempts.size() < 2) {
            return "";
        }
        StringBuilder out = new StringBuilder("<nav class=\"attempts\" aria-label=\"Attempts\">Attempts: ");
        for (int attempt : attempts) {
            if (attempt == summary.attempt()) {
                out.append("<strong aria-current=\"page\">").append(attempt).append("</strong> ");
            } else {
                out.append("<a href=\"").append(Html.attribute(RunPaths.page(summary.runId(), attempt))).append("\">")
                        .append(attempt).append("</a> ");
            }
        }
        return out.append("</nav>").toString();
    }

    private static String commit(RunDetail run) {
        RunSummary summary = run.summary();
        StringBuilder out = new StringBuilder("<section class=\"commit\"><h2>Commit</h2><dl>");
        out.append("<dt>Commit</dt><dd class=\"sha\">").append(Formats.link(run.commitUrl(), summary.sha()))
                .append("</dd>");
        out.append("<dt>Author</dt><dd>").append(Html.text(summary.author())).append("</dd>");
        out.append("<dt>Committed</dt><dd>").append(Formats.time(run.commitTime())).append("</dd>");
        out.append("<dt>Ref</dt><dd>").append(Html.text(summary.ref())).append("</dd>");
        if (summary.requestNumber() != null) {
            out.append("<dt>Request</dt><dd>").append(Formats.link(run.requestUrl(), RunsPage.branch(summary)))
                    .append("</dd>");
        }
        out.append("</dl><pre class=\"message\">").append(Html.text(run.message())).append("</pre></section>");
        return out.toString();
    }

    private static String timeline(List<RunDetail.TimelineEntry> timeline) {
        StringBuilder out = new StringBuilder("<section class=\"timeline\"><h2>Timeline</h2><ol>");
        Instant previous = null;
        for (RunDetail.TimelineEntry entry : timeline) {
            out.append("<li><span class=\"kind\">").append(Html.text(entry.kind())).append("</span> ")
                    .append("<span class=\"stage\">").append(Html.text(entry.stage())).append("</span> ");
            if (entry.environment() != null) {
                out.append("<span class=\"environment\">").append(Html.text(entry.environment())).append("</span> ");
            }
            out.append(Formats.time(entry.occurredAt()));
            if (previous != null) {
                out.append(" <span class=\"took\">+").append(Formats.duration(previous, entry.occurredAt()))
                        .append("</span>");
            }
            out.append("<div class=\"summary\">").append(Html.text(entry.summary())).append("</div>")
                    .append("<details><summary>Event</summary><pre>").append(Html.text(entry.detailJson()))
                    .append("</pre></details></li>");
            if (entry.occurredAt() != null) {
                previous = entry.occurredAt();
            }
        }
        return out.append("</ol></section>").toString();
    }

    private static String artifacts(List<RunDetail.Artifact> artifacts) {
        if (artifacts.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<section class=\"artifacts\"><h2>Artifact</h2>");
        for (RunDetail.Artifact artifact : artifacts) {
            out.append("<h3>").append(Html.text(artifact.phase())).append(' ').append(Html.text(artifact.kind()))
                    .append("</h3><dl><dt>Image</dt><dd class=\"sha\">").append(Html.text(artifact.registry()))
                    .append('/').append(Html.text(artifact.repository())).append('@')
                    .append(Html.text(artifact.digest())).append("</dd><dt>Tags</dt><dd>")
                    .append(Html.text(String.join(", ", artifact.tags()))).append("</dd></dl>");
            if (!artifact.labels().isEmpty()) {
                out.append("<table class=\"labels\"><thead><tr><th>Label</th><th>Value</th></tr></thead><tbody>");
                for (Map.Entry<String, String> label : artifact.labels().entrySet()) {
                    out.append("<tr><td>").append(Html.text(label.getKey())).append("</td><td>")
                            .append(Html.text(label.getValue())).append("</td></tr>");
                }
                out.append("</tbody></table>");
            }
        }
        return out.append("</section>").toString();
    }

    private static String report(RunDetail.TestReport report, String base) {
        if (report == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("<section class=\"report\"><h2>Tests ")
                .append(Formats.status(report.passed() ? "PASSED" : "FAILED")).append("</h2>");
        if (report.truncated()) {
            out.append("<p class=\"truncated\">The report was truncated by the tester.</p>");
        }
        out.append("<table class=\"cases\"><thead><tr><th>Outcome</th><th>Suite</th><th>Test</th><th>Time</th>"
                + "</tr></thead><tbody>");
        for (RunDetail.TestCase test : report.cases()) {
            out.append("<tr class=\"case outcome-").append(Html.attribute(test.outcome().toLowerCase(Locale.ROOT)))
                    .append("\"><td>").append(Formats.status(test.outcome())).append("</td><td>")
                    .append(Html.text(test.suite())).append("</td><td class=\"case-name\">")
                    .append(Html.text(test.name()));
            if (test.message() != null && !test.message().isBlank()) {
                out.append("<pre class=\"case-message\">").append(Html.text(test.message())).append("</pre>");
            }
            out.append("</td><td>").append(test.durationMillis()).append(" ms</td></tr>");
        }
        out.append("</tbody></table><p><a href=\"").append(Html.attribute(base + "/report.xml"))
                .append("\">JUnit XML</a></p></section>");
        return out.toString();
    }

    private static String deployments(List<Deployment> deployments) {
        if (deployments.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<section class=\"deployments\"><h2>Deployments</h2>"
                + "<table><thead><tr><th>Environment</th><th>Digest</th><th>Run</th><th>Address</th><th>Deployed</th>"
                + "</tr></thead><tbody>");
        for (Deployment deployment : deployments) {
            out.append(EnvironmentsPage.deploymentCells(deployment)).append("</tr>");
        }
        return out.append("</tbody></table></section>").toString();
    }

    private static String failures(List<RunDetail.Failure> failures) {
        if (failures.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<section class=\"failures\"><h2>Failure</h2>");
        for (RunDetail.Failure failure : failures) {
            out.append("<div class=\"failure\"><p>").append(Formats.status("FAILED")).append(" at <strong>")
                    .append(Html.text(failure.stage())).append("</strong>");
            if (failure.environment() != null) {
                out.append(" in ").append(Html.text(failure.environment()));
            }
            out.append(": <span class=\"reason\">").append(Html.text(failure.reason())).append("</span> ")
                    .append(Formats.time(failure.failedAt()))
                    .append(failure.retryable() ? " (retryable)" : "").append("</p><p class=\"failure-message\">")
                    .append(Html.text(failure.message())).append("</p>");
            if (failure.logExcerpt() != null && !failure.logExcerpt().isBlank()) {
                out.append("<pre class=\"excerpt\">").append(Html.text(failure.logExcerpt())).append("</pre>");
            }
            out.append("</div>");
        }
        return out.append("</section>").toString();
    }

    private static String log(RunDetail.LogState state, String base) {
        StringBuilder out = new StringBuilder("<section class=\"log\"><h2>Build log</h2><p>")
                .append("<a href=\"").append(Html.attribute(base + "/log.txt")).append("\" download>Download</a>")
                .append(" <span id=\"log-state\">");
        if (state != null && state.truncated()) {
            out.append("truncated: later output was dropped at the log limit");
        }
        out.append("</span></p><pre id=\"log\" data-log=\"").append(Html.attribute(base + "/log"))
                .append("\"></pre></section>");
        return out.toString();
    }
}

package io.slipway.dashboard.web;

import io.slipway.dashboard.domain.RunFilter;
import io.slipway.dashboard.domain.RunPage;
import io.slipway.dashboard.domain.RunStatus;
import io.slipway.dashboard.domain.RunSummary;
import io.slipway.events.Stage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the runs page: the filter form, a table of runs newest first, and the link to the older page. */
final class RunsPage {

    private RunsPage() {
    }

    /** The whole page; {@code cursor} is the cursor this page was asked with (null for the newest runs). */
    static String page(RunFilter filter, String cursor, RunPage page, List<String> repositories, Instant now) {
        String query = query(filter, null);
        StringBuilder body = new StringBuilder("<h1>Runs</h1>");
        body.append(form(filter, repositories));
        body.append("<table class=\"runs\"><thead><tr><th>Status</th><th>Repository</th><th>Branch</th><th>Title</th>"
                + "<th>Author</th><th>Commit</th><th>Stage</th><th>Started</th><th>Duration</th></tr></thead>");
        body.append("<tbody id=\"run-rows\"");
        if (cursor == null) {
            // Only the newest page follows changes live: older pages stay as they were asked.
            body.append(" data-live=\"/runs/rows").append(Html.attribute(query.isEmpty() ? "" : "?" + query))
                    .append('"');
        }
        body.append('>').append(rows(page.runs(), now)).append("</tbody></table>");
        if (page.runs().isEmpty()) {
            body.append("<p class=\"empty\">No runs match.</p>");
        }
        if (page.nextCursor() != null) {
            body.append("<p class=\"pager\"><a rel=\"next\" href=\"/runs?")
                    .append(Html.attribute(query(filter, page.nextCursor()))).append("\">Older runs</a></p>");
        }
        return Layout.page("Runs", "/runs", body.toString());
    }

    /** The table rows alone (the live page fetches these). */
    static String rows(List<RunSummary> runs, Instant now) {
        StringBuilder out = new StringBuilder();
        for (RunSummary run : runs) {
            String page = RunPaths.page(run.runId(), run.attempt());
            out.append("<tr data-run=\"").append(Html.attribute(run.runId())).append("\" data-attempt=\"")
                    .append(run.attempt()).append("\" data-stage=\"").append(Html.attribute(run.stage()))
                    .append("\" data-status=\"").append(Html.attribute(String.valueOf(run.status()))).append("\">")
                    .append("<td>").append(Formats.status(String.valueOf(run.status()))).append("</td>")
                    .append("<td>").append(Html.text(run.repository())).append("</td>")
                    .append("<td>").append(Html.text(branch(run))).append("</td>")
                    .append("<td class=\"title\"><a href=\"").append(Html.attribute(page)).append("\">")
                    .append(Html.text(run.title() == null || run.title().isBlank() ? run.runId() : run.title()))
                    .append("</a></td>")
                    .append("<td>").append(Html.text(run.author())).append("</td>")
                    .append("<td class=\"sha\">").append(Formats.shortHash(run.sha())).append("</td>")
                    .append("<td class=\"stage\">").append(Html.text(run.stage())).append("</td>")
                    .append("<td>").append(Formats.time(run.triggeredAt())).append("</td>")
                    .append("<td>").append(Formats.duration(run.triggeredAt(),
                            run.finishedAt() == null ? now : run.finishedAt())).append("</td></tr>");
        }
        return out.toString();
    }

    /** The branch, or the request as its forge shows it: {@code #12} for a pull request, {@code !12} for a merge one. */
    static String branch(RunSummary run) {
        if (run.requestNumber() != null) {
            return ("merge".equals(run.requestKind()) ? "!" : "#") + run.requestNumber();
        }
        return run.branch() != null ? run.branch() : run.ref();
    }

    /** The query string of {@code filter} (and {@code cursor} when not null), encoded, without {@code ?}. */
    static String query(RunFilter filter, String cursor) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("repository", filter.repository());
        parameters.put("branch", filter.branch());
        parameters.put("status", filter.status() == null ? null : filter.status().name());
        parameters.put("stage", filter.stage());
        parameters.put("cursor", cursor);
        return parameters.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String form(RunFilter filter, List<String> repositories) {
        StringBuilder form = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/runs\">");
        form.append("<label>Repository <select name=\"repository\"><option value=\"\">all</option>");
        for (String repository : repositories) {
            form.append(option(repository, repository.equals(filter.repository())));
        }
        form.append("</select></label>");
        form.append("<label>Branch <input name=\"branch\" value=\"").append(Html.attribute(filter.branch()))
                .append("\" maxlength=\"255\"></label>");
        form.append("<label>Status <select name=\"status\"><option value=\"\">all</option>");
        for (RunStatus status : RunStatus.values()) {
            form.append(option(status.name(), status == filter.status()));
        }
        form.append("</select></label><label>Stage <select name=\"stage\"><option value=\"\">all</option>");
        for (Stage stage : Stage.values()) {
            if (stage != Stage.UNKNOWN) {
                form.append(option(stage.name(), stage.name().equals(filter.stage())));
            }
        }
        form.append("</select></label><button type=\"submit\">Filter</button></form>");
        return form.toString();
    }

    private static String option(String value, boolean selected) {
        return "<option value=\"" + Html.attribute(value) + "\"" + (selected ? " selected" : "") + ">"
                + Html.text(value) + "</option>";
    }
}

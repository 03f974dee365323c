package io.slipway.dashboard.web;

import io.slipway.dashboard.domain.Deployment;
import io.slipway.dashboard.domain.EnvironmentView;

import java.util.List;
import java.util.function.Function;

/**
 * Renders the environments page: per environment and repository what runs there, the promotion waiting to go there
 * with its Approve button, and the latest deployments with their Roll back buttons (the page's script sends them).
 */
final class EnvironmentsPage {

    /** How many deployments of a repository to an environment the page lists. */
    static final int HISTORY = 10;

    private EnvironmentsPage() {
    }

    static String page(List<EnvironmentView> views, Function<EnvironmentView, List<Deployment>> history) {
        StringBuilder body = new StringBuilder("<h1>Environments</h1>"
                + "<p id=\"action-result\" class=\"action-result\" role=\"status\" aria-live=\"polite\"></p>");
        body.append("<div id=\"environments\" data-live=\"/environments\">");
        if (views.isEmpty()) {
            body.append("<p class=\"empty\">Nothing has been deployed yet.</p>");
        }
        for (EnvironmentView view : views) {
            body.append("<section class=\"environment\" data-environment=\"").append(Html.attribute(view.environment()))
                    .append("\" data-repository=\"").append(Html.attribute(view.repository())).append("\"><h2>")
                    .append("<span class=\"environment-name\">").append(Html.text(view.environment()))
                    .append("</span> · ").append(Html.text(view.repository())).append("</h2>");
            body.append(current(view)).append(pending(view)).append(history(view, history.apply(view)));
            body.append("</section>");
        }
        body.append("</div>");
        return Layout.page("Environments", "/environments", body.toString());
    }

    /** A deployment's row up to its last cell (the caller closes the row): environment, digest, run, address, time. */
    static String deploymentCells(Deployment deployment) {
        StringBuilder out = new StringBuilder("<tr><td>").append(Html.text(deployment.environment()))
                .append("</td><td class=\"sha\" title=\"").append(Html.attribute(deployment.digest())).append("\">")
                .append(Formats.shortHash(deployment.digest())).append("</td><td>")
                .append(runLink(deployment.runId(), deployment.attempt())).append("</td><td>")
                .append(Formats.link(deployment.url(), deployment.url())).append("</td><td>")
                .append(Formats.time(deployment.deployedAt()));
        if (deployment.rollback()) {
            out.append(" <span class=\"status status-cancelled\">rollback</span>");
        }
        return out.append("</td>").toString();
    }

    private static String current(EnvironmentView view) {
        EnvironmentView.Current current = view.current();
        if (current == null) {
            return "<p class=\"empty\">Nothing deployed yet.</p>";
        }
        return "<dl class=\"current\"><dt>Running</dt><dd class=\"sha\" title=\"" + Html.attribute(current.digest())
                + "\">" + Formats.shortHash(current.digest()) + "</dd><dt>Run</dt><dd>"
                + runLink(current.runId(), current.attempt()) + "</dd><dt>Since</dt><dd>"
                + Formats.time(current.since()) + "</dd><dt>Address</dt><dd>"
                + Formats.link(current.url(), current.url()) + "</dd></dl>"
                + "<p><button type=\"button\" class=\"rollback\" data-repository=\""
                + Html.attribute(view.repository()) + "\" data-environment=\"" + Html.attribute(view.environment())
                + "\">Roll back to the previous</button></p>";
    }

    private static String pending(EnvironmentView view) {
        EnvironmentView.Pending pending = view.pending();
        if (pending == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("<div class=\"pending\"><h3>Waiting</h3><p>")
                .append(runLink(pending.runId(), pending.attempt())).append(" <span class=\"sha\">")
                .append(Formats.shortHash(pending.digest())).append("</span> from ")
                .append(Html.text(pending.fromEnvironment())).append(", soak ends ")
                .append(Formats.time(pending.notBefore()));
        if (pending.approvedBy() != null) {
            out.append(", approved by ").append(Html.text(pending.approvedBy()));
        } else if (pending.approvalRequired()) {
            out.append(", needs an approval");
        }
        out.append("</p>");
        if (pending.approvalRequired() && pending.approvedBy() == null) {
            out.append("<button type=\"button\" class=\"approve\" data-run=\"").append(Html.attribute(pending.runId()))
                    .append("\" data-environment=\"").append(Html.attribute(view.environment()))
                    .append("\">Approve</button>");
        }
        return out.append("</div>").toString();
    }

    private static String history(EnvironmentView view, List<Deployment> deployments) {
        if (deployments.isEmpty()) {
            return "";
        }
        String running = view.current() == null ? null : view.current().digest();
        StringBuilder out = new StringBuilder("<table class=\"history\"><thead><tr><th>Environment</th><th>Digest</th>"
                + "<th>Run</th><th>Address</th><th>Deployed</th><th></th></tr></thead><tbody>");
        for (Deployment deployment : deployments) {
            out.append(deploymentCells(deployment)).append("<td>");
            if (deployment.digest() != null && !deployment.digest().equals(running)) {
                out.append("<button type=\"button\" class=\"rollback\" data-repository=\"")
                        .append(Html.attribute(view.repository())).append("\" data-environment=\"")
                        .append(Html.attribute(view.environment())).append("\" data-digest=\"")
                        .append(Html.attribute(deployment.digest())).append("\">Roll back to this</button>");
            }
            out.append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private static String runLink(String runId, int attempt) {
        if (runId == null) {
            return "";
        }
        return "<a href=\"" + Html.attribute(RunPaths.page(runId, attempt)) + "\">" + Html.text(runId) + "</a>";
    }
}

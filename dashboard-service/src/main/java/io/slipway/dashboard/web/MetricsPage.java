package io.slipway.dashboard.web;

import io.slipway.dashboard.domain.metrics.Band;
import io.slipway.dashboard.domain.metrics.DeliveryReport;
import io.slipway.dashboard.domain.metrics.DeliveryReport.Dora;
import io.slipway.dashboard.domain.metrics.DeliveryReport.ReasonCount;
import io.slipway.dashboard.domain.metrics.DeliveryReport.RepositoryDora;
import io.slipway.dashboard.domain.metrics.DeliveryReport.StageDuration;
import io.slipway.dashboard.domain.metrics.Period;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The delivery metrics page: the four DORA figures with their band, the daily charts, a row per repository, and the
 * pipeline's stage durations and failure reasons. Every name from events is escaped through {@link Html}.
 */
final class MetricsPage {

    static final String PATH = "/metrics";

    private MetricsPage() {
    }

    /** The page of {@code report}, computed over {@code period} for environment {@code production}. */
    static String render(DeliveryReport report, Period period, String production) {
        Dora dora = report.overall();
        StringBuilder body = new StringBuilder();
        body.append("<h1>Delivery metrics</h1>").append(form(period, report.repository()))
                .append("<p class=\"period\">").append(report.repository() == null ? "All repositories"
                        : Html.text(report.repository()))
                .append(", deployments to <strong>").append(Html.text(production)).append("</strong> from ")
                .append(report.from()).append(" to ").append(report.to()).append(" (UTC days).</p>");

        body.append("<section class=\"figures\">")
                .append(figure("deployment-frequency", "Deployment frequency", dora.frequency().band(),
                        String.format(Locale.ROOT, "%.2f / day", dora.frequency().perDay()),
                        String.format(Locale.ROOT, "%d deployments, %.1f / week", dora.frequency().deployments(),
                                dora.frequency().perWeek())))
                .append(figure("lead-time", "Lead time for changes", dora.leadTime().band(),
                        dora.leadTime().fromCommit().median() == null ? "no deployments"
                                : duration(dora.leadTime().fromCommit().median()) + " median",
                        dora.leadTime().fromCommit().median() == null ? ""
                                : "p95 " + duration(dora.leadTime().fromCommit().p95()) + "; from push: median "
                                + duration(dora.leadTime().fromPush().median()) + ", p95 "
                                + duration(dora.leadTime().fromPush().p95())))
                .append(figure("change-failure-rate", "Change failure rate", dora.failureRate().band(),
                        rate(dora), dora.failureRate().failed() + " of " + dora.failureRate().deployments()
                                + " deployments failed"))
                .append(figure("time-to-restore", "Time to restore", dora.restore().band(), restore(dora),
                        dora.restore().noFailures() ? "" : dora.restore().restored() + " of "
                                + dora.restore().failures() + " failures restored"))
                .append("</section>");

        body.append("<section class=\"charts\"><h2>Production deployments per day</h2>")
                .append(MetricsCharts.deployments(report.days()))
                .append("<h2>Median lead time per day</h2>").append(MetricsCharts.leadTimes(report.days()))
                .append("</section>");

        body.append("<section><h2>Per repository</h2><table class=\"repositories\"><thead><tr><th>Repository</th>"
                + "<th>Deployments</th><th>Per day</th><th>Lead time (median)</th><th>Change failure rate</th>"
                + "<th>Time to restore (median)</th></tr></thead><tbody>");
        if (report.repositories().isEmpty()) {
            body.append("<tr><td colspan=\"6\">No deployments to ").append(Html.text(production))
                    .append(" in this period.</td></tr>");
        }
        for (RepositoryDora row : report.repositories()) {
            Dora figures = row.dora();
            body.append("<tr><td><a href=\"").append(Html.attribute(link(period, row.repository()))).append("\">")
                    .append(Html.text(row.repository())).append("</a></td><td>")
                    .append(figures.frequency().deployments()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", figures.frequency().perDay())).append("</td><td>")
                    .append(duration(figures.leadTime().fromCommit().median())).append("</td><td>")
                    .append(rate(figures)).append("</td><td>").append(restore(figures)).append("</td></tr>");
        }
        body.append("</tbody></table></section>");

        body.append("<section><h2>Pipeline</h2><table class=\"stages\"><thead><tr><th>Stage</th><th>Runs</th>"
                + "<th>p50</th><th>p95</th></tr></thead><tbody>");
        for (StageDuration stage : report.pipeline().stages()) {
            body.append("<tr><td>").append(stage.stage()).append("</td><td>").append(stage.spread().count())
                    .append("</td><td>").append(duration(stage.spread().median())).append("</td><td>")
                    .append(duration(stage.spread().p95())).append("</td></tr>");
        }
        body.append("</tbody></table><h2>Failure reasons</h2><table class=\"reasons\"><thead><tr><th>Reason</th>"
                + "<th>Failures</th></tr></thead><tbody>");
        if (report.pipeline().reasons().isEmpty()) {
            body.append("<tr><td colspan=\"2\">No failures in this period.</td></tr>");
        }
        for (ReasonCount reason : report.pipeline().reasons()) {
            body.append("<tr><td>").append(Html.text(reason.reason())).append("</td><td>").append(reason.count())
                    .append("</td></tr>");
        }
        body.append("</tbody></table><p class=\"note\">Percentiles by nearest rank. Bands: DORA's 2021 State of "
                + "DevOps report.</p></section>");
        return Layout.page("Delivery metrics", PATH, body.toString());
    }

    private static String form(Period chosen, String repository) {
        StringBuilder form = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"" + PATH + "\">"
                + "<label>Period <select name=\"period\">");
        for (Period period : Period.values()) {
            form.append("<option value=\"").append(period.label()).append('"')
                    .append(period == chosen ? " selected" : "").append('>').append("last ")
                    .append(period.label().replace("d", " days")).append("</option>");
        }
        return form.append("</select></label> <label>Repository <input name=\"repository\" value=\"")
                .append(Html.attribute(repository)).append("\" placeholder=\"all\"></label> <button>Show</button>")
                .append(" <a href=\"").append(Html.attribute(jsonLink(chosen, repository)))
                .append("\">JSON</a></form>").toString();
    }

    private static String figure(String id, String title, Band band, String value, String detail) {
        return "<div class=\"figure\" id=\"" + id + "\"><h2>" + title + "</h2><p class=\"value\">" + Html.text(value)
                + "</p><p class=\"detail\">" + Html.text(detail) + "</p><p class=\"band\" data-band=\""
                + (band == null ? "none" : band.label()) + "\">" + (band == null ? "–" : band.label()) + "</p></div>";
    }

    private static String rate(Dora dora) {
        return dora.failureRate().rate() == null ? "no deployments"
                : String.format(Locale.ROOT, "%.1f %%", dora.failureRate().rate() * 100);
    }

    private static String restore(Dora dora) {
        if (dora.restore().noFailures()) {
            return "no failures";
        }
        return dora.restore().median() == null ? "not restored" : duration(dora.restore().median());
    }

    private static String duration(Duration duration) {
        return duration == null ? "–" : Formats.duration(duration);
    }

    private static String link(Period period, String repository) {
        return PATH + "?period=" + period.label() + "&repository=" + URLEncoder.encode(repository,
                StandardCharsets.UTF_8);
    }

    private static String jsonLink(Period period, String repository) {
        return PATH + ".json?period=" + period.label()
                + (repository == null ? "" : "&repository=" + URLEncoder.encode(repository, StandardCharsets.UTF_8));
    }
}

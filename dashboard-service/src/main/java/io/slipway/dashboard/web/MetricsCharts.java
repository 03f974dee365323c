package io.slipway.dashboard.web;

import io.slipway.dashboard.domain.metrics.DeliveryReport.Day;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The metrics page's charts, drawn on the server as inline SVG (no script, nothing fetched): production deployments
 * per day as bars, and the median lead time per day as a line through the days that had deployments. Each bar and
 * point carries a {@code <title>} with its day and value, which browsers show on hover and screen readers read.
 */
final class MetricsCharts {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 160;
    private static final int TOP = 16;
    private static final int BOTTOM = 20;

    private MetricsCharts() {
    }

    /** Production deployments per day, as bars. */
    static String deployments(List<Day> days) {
        int most = 1;
        for (Day day : days) {
            most = Math.max(most, day.deployments());
        }
        double slot = (double) WIDTH / Math.max(days.size(), 1);
        StringBuilder svg = open("Production deployments per day", days, String.valueOf(most));
        for (int i = 0; i < days.size(); i++) {
            Day day = days.get(i);
            double height = (HEIGHT - TOP - BOTTOM) * day.deployments() / (double) most;
            svg.append(String.format(Locale.ROOT,
                    "<rect class=\"bar\" fill=\"currentColor\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                            + "height=\"%.1f\"><title>%s: %d</title></rect>",
                    i * slot + slot * 0.15, HEIGHT - BOTTOM - height, slot * 0.7, height, day.date(),
                    day.deployments()));
        }
        return svg.append("</svg>").toString();
    }

    /** The median lead time from commit per day, as a line through the days that had production deployments. */
    static String leadTimes(List<Day> days) {
        long most = 1;
        for (Day day : days) {
            if (day.medianLeadTime() != null) {
                most = Math.max(most, day.medianLeadTime().toSeconds());
            }
        }
        double slot = (double) WIDTH / Math.max(days.size(), 1);
        StringBuilder svg = open("Median lead time for changes per day", days,
                Formats.duration(Duration.ofSeconds(most)));
        StringBuilder line = new StringBuilder();
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < days.size(); i++) {
            Day day = days.get(i);
            if (day.medianLeadTime() == null) {
                continue;
            }
            double x = i * slot + slot / 2;
            double y = HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * day.medianLeadTime().toSeconds() / (double) most;
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            points.append(String.format(Locale.ROOT,
                    "<circle class=\"point\" fill=\"currentColor\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">"
                            + "<title>%s: %s</title></circle>",
                    x, y, day.date(), Formats.duration(day.medianLeadTime())));
        }
        if (!line.isEmpty()) {
            svg.append("<polyline class=\"line\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" points=\"")
                    .append(line.toString().strip()).append("\"/>");
        }
        return svg.append(points).append("</svg>").toString();
    }

    /** The frame: title, base line, the top value's label and the first and last day. */
    private static StringBuilder open(String title, List<Day> days, String top) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
                        + "xmlns=\"http://www.w3.org/2000/svg\"><title>%s</title>"
                        + "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"currentColor\"/>"
                        + "<text x=\"0\" y=\"12\" font-size=\"11\">%s</text>",
                WIDTH, HEIGHT, Html.text(title), HEIGHT - BOTTOM, WIDTH, HEIGHT - BOTTOM, Html.text(top)));
        if (!days.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"11\">%s</text>"
                            + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                    HEIGHT - 4, days.get(0).date(), WIDTH, HEIGHT - 4, days.get(days.size() - 1).date()));
        }
        return svg;
    }
}

package io.slipway.common.links;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's addresses of a run attempt, for every stage that links to it: the run page
 * {@code <dashboard>/runs/{runId}/{attempt}} and its JUnit report {@code …/report.xml}. Templates take {@code {runId}}
 * (encoded as one path segment) and {@code {attempt}}.
 */
public final class RunLinks {

    /** Where the dashboard answers when nothing else is configured ({@code SLIPWAY_DASHBOARD_URL}). */
    public static final String DEFAULT_DASHBOARD_URL = "http://127.0.0.1:8087";

    private RunLinks() {
    }

    /** The run page template under {@code dashboardUrl} (the default dashboard when blank). */
    public static String runPageTemplate(String dashboardUrl) {
        String base = dashboardUrl == null || dashboardUrl.isBlank() ? DEFAULT_DASHBOARD_URL : dashboardUrl;
        return base.replaceAll("/+$", "") + "/runs/{runId}/{attempt}";
    }

    /** The run page of a run attempt. */
    public static String runPage(String dashboardUrl, String runId, int attempt) {
        return fill(runPageTemplate(dashboardUrl), runId, attempt);
    }

    /** The JUnit XML report of a run attempt, as the dashboard serves it. */
    public static String report(String dashboardUrl, String runId, int attempt) {
        return runPage(dashboardUrl, runId, attempt) + "/report.xml";
    }

    /** {@code template} with {@code {runId}} and {@code {attempt}} replaced. */
    public static String fill(String template, String runId, int attempt) {
        return template.replace("{runId}", URLEncoder.encode(runId, StandardCharsets.UTF_8).replace("+", "%20"))
                .replace("{attempt}", Integer.toString(attempt));
    }
}

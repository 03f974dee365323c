package io.slipway.dashboard.web;

import io.slipway.dashboard.domain.metrics.Band;
import io.slipway.dashboard.domain.metrics.DeliveryReport;
import io.slipway.dashboard.domain.metrics.DeliveryReport.Day;
import io.slipway.dashboard.domain.metrics.DeliveryReport.Dora;
import io.slipway.dashboard.domain.metrics.DeliveryReport.ReasonCount;
import io.slipway.dashboard.domain.metrics.DeliveryReport.RepositoryDora;
import io.slipway.dashboard.domain.metrics.DeliveryReport.StageDuration;
import io.slipway.dashboard.domain.metrics.Percentiles.Spread;
import io.slipway.dashboard.domain.metrics.Period;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /metrics.json}: the figures of the metrics page for scripts. Durations are whole seconds, rates fractions,
 * times ISO-8601 UTC; a figure that cannot be computed (no deployments, nothing restored) is null.
 */
final class MetricsJson {

    private MetricsJson() {
    }

    /** The report as a tree of maps, lists and plain values, ready for a JSON writer. */
    static Map<String, Object> of(DeliveryReport report, Period period, String production) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("period", period.label());
        json.put("from", report.from().toString());
        json.put("to", report.to().toString());
        json.put("repository", report.repository());
        json.put("production", production);
        json.put("overall", dora(report.overall()));
        List<Map<String, Object>> repositories = new ArrayList<>();
        for (RepositoryDora row : report.repositories()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("repository", row.repository());
            entry.putAll(dora(row.dora()));
            repositories.add(entry);
        }
        json.put("repositories", repositories);
        Map<String, Object> stages = new LinkedHashMap<>();
        for (StageDuration stage : report.pipeline().stages()) {
            stages.put(stage.stage(), spread(stage.spread()));
        }
        List<Map<String, Object>> reasons = new ArrayList<>();
        for (ReasonCount reason : report.pipeline().reasons()) {
            reasons.add(entry("reason", reason.reason(), "count", reason.count()));
        }
        json.put("pipeline", entry("stageSeconds", stages, "failureReasons", reasons));
        List<Map<String, Object>> days = new ArrayList<>();
        for (Day day : report.days()) {
            days.add(entry("date", day.date().toString(), "deployments", day.deployments(),
                    "medianLeadTimeSeconds", seconds(day.medianLeadTime())));
        }
        json.put("days", days);
        return json;
    }

    private static Map<String, Object> dora(Dora dora) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("deploymentFrequency", entry("deployments", dora.frequency().deployments(),
                "perDay", dora.frequency().perDay(), "perWeek", dora.frequency().perWeek(),
                "band", band(dora.frequency().band())));
        json.put("leadTime", entry("fromCommitSeconds", spread(dora.leadTime().fromCommit()),
                "fromPushSeconds", spread(dora.leadTime().fromPush()), "band", band(dora.leadTime().band())));
        json.put("changeFailureRate", entry("failed", dora.failureRate().failed(),
                "deployments", dora.failureRate().deployments(), "rate", dora.failureRate().rate(),
                "band", band(dora.failureRate().band())));
        json.put("timeToRestore", entry("failures", dora.restore().failures(), "restored", dora.restore().restored(),
                "medianSeconds", seconds(dora.restore().median()), "noFailures", dora.restore().noFailures(),
                "band", band(dora.restore().band())));
        return json;
    }

    private static Map<String, Object> spread(Spread spread) {
        return entry("count", spread.count(), "median", seconds(spread.median()), "p95", seconds(spread.p95()));
    }

    private static Long seconds(Duration duration) {
        return duration == null ? null : duration.toSeconds();
    }

    private static String band(Band band) {
        return band == null ? null : band.label();
    }

    /** An ordered map of alternating keys and values (values may be null). */
    private static Map<String, Object> entry(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}

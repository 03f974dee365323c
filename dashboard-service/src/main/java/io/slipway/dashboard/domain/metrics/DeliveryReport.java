package io.slipway.dashboard.domain.metrics;

import io.slipway.dashboard.domain.metrics.Percentiles.Spread;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The delivery metrics of one period [{@code from}, {@code to}), of one repository or (null) all: the four DORA
 * figures overall and per repository, the pipeline's stage durations and failure reasons, and a series per UTC day.
 */
public record DeliveryReport(Instant from, Instant to, String repository, Dora overall,
                             List<RepositoryDora> repositories, Pipeline pipeline, List<Day> days) {

    /** The four DORA figures. */
    public record Dora(Frequency frequency, LeadTime leadTime, FailureRate failureRate, Restore restore) {
    }

    /** The DORA figures of one repository. */
    public record RepositoryDora(String repository, Dora dora) {
    }

    /** Non-rollback production deployments in the period, per day and per week of it. */
    public record Frequency(int deployments, double perDay, double perWeek, Band band) {
    }

    /** Production deployed_at − commit time, and − trigger time (push); band from the median from commit. */
    public record LeadTime(Spread fromCommit, Spread fromPush, Band band) {
    }

    /** Failed production deployments out of all of them; {@code rate} and band are null without deployments. */
    public record FailureRate(int failed, int deployments, Double rate, Band band) {
    }

    /**
     * Failed production deployments, how many were restored (a later good production deployment of the repository
     * in the period) and the median time that took; median and band are null when nothing was restored.
     */
    public record Restore(int failures, int restored, Duration median, Band band) {

        /** No production deployment failed in the period. */
        public boolean noFailures() {
            return failures == 0;
        }
    }

    /** Stage durations (build, test, deliver, deploy, in that order) and failure reasons, most frequent first. */
    public record Pipeline(List<StageDuration> stages, List<ReasonCount> reasons) {
    }

    /** The durations of one stage over the run attempts that went through it. */
    public record StageDuration(String stage, Spread spread) {
    }

    /** How many runs failed for one reason code. */
    public record ReasonCount(String reason, int count) {
    }

    /** One UTC day: production deployments, and their median lead time from commit (null without deployments). */
    public record Day(LocalDate date, int deployments, Duration medianLeadTime) {
    }
}

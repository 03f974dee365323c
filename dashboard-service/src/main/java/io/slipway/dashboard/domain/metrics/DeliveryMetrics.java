package io.slipway.dashboard.domain.metrics;

import io.slipway.dashboard.domain.metrics.DeliveryReport.Day;
import io.slipway.dashboard.domain.metrics.DeliveryReport.Dora;
import io.slipway.dashboard.domain.metrics.DeliveryReport.FailureRate;
import io.slipway.dashboard.domain.metrics.DeliveryReport.Frequency;
import io.slipway.dashboard.domain.metrics.DeliveryReport.LeadTime;
import io.slipway.dashboard.domain.metrics.DeliveryReport.Pipeline;
import io.slipway.dashboard.domain.metrics.DeliveryReport.ReasonCount;
import io.slipway.dashboard.domain.metrics.DeliveryReport.RepositoryDora;
import io.slipway.dashboard.domain.metrics.DeliveryReport.Restore;
import io.slipway.dashboard.domain.metrics.DeliveryReport.StageDuration;
import io.slipway.dashboard.domain.metrics.Facts.DeploymentFact;
import io.slipway.dashboard.domain.metrics.Facts.FailureFact;
import io.slipway.dashboard.domain.metrics.Facts.StageTimes;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Computes the DORA figures and the pipeline figures of a period from the read model's facts. Only deployments to the
 * production environment count for DORA, and of those only changes (a rollback is not a deployment of a change):
 * <ul>
 * <li>deployment frequency: production deployments in the period, divided by its length in days (and × 7 per week);
 * <li>lead time for changes: deployed_at − the commit's time (the pusher's clock, so also − the trigger time), median
 * and p95 by {@link Percentiles nearest rank}; a commit dated after its deployment counts as zero;
 * <li>change failure rate: production deployments of a run that production then rolled back (a rollback naming the
 * run) or failed (a {@code BuildFailed} at DEPLOY in production for the run), before the run was deployed there
 * again, divided by the production deployments;
 * <li>time to restore: from such a failure to the next production deployment of that repository that did not fail,
 * in the period (median); a failure never restored counts in the failure rate, not here.
 * </ul>
 * Pipeline figures: per run attempt triggered in the period, build = CommitReceived→ImageBuilt, test =
 * ImageBuilt→TestsPassed, deliver = TestsPassed→ArtifactPublished, deploy = ArtifactPublished→first Deployed (p50,
 * p95; events come from different services' clocks, so a negative span counts as zero); failure reasons count every
 * {@code BuildFailed} in the period except cancellations.
 */
public final class DeliveryMetrics {

    /** Reason codes that cancel a run rather than fail it (the run becomes CANCELLED, not FAILED). */
    static final Set<String> CANCELLATIONS = Set.of("SUPERSEDED", "REQUEST_CLOSED", "CANCELLED");

    /** The pipeline stages: name, the event that starts it, the event that ends it. */
    private static final String[][] STAGES = {
            {"build", "CommitReceived", "ImageBuilt"},
            {"test", "ImageBuilt", "TestsPassed"},
            {"deliver", "TestsPassed", "ArtifactPublished"},
            {"deploy", "ArtifactPublished", "Deployed"}};

    private static final double SECONDS_PER_DAY = 86_400.0;

    private final String production;

    /** {@code production} is the environment DORA counts (slipway.dashboard.production). */
    public DeliveryMetrics(String production) {
        this.production = Objects.requireNonNull(production, "production");
    }

    /** The metrics of [{@code from}, {@code to}), of {@code repository} only when it is not null. */
    public DeliveryReport compute(Facts facts, Instant from, Instant to, String repository) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the period must end after it starts: " + from + " .. " + to);
        }
        double days = Duration.between(from, to).toSeconds() / SECONDS_PER_DAY;
        List<DeploymentFact> deployments = facts.deployments().stream()
                .filter(d -> production.equals(d.environment()) && within(d.deployedAt(), from, to))
                .filter(d -> repository == null || repository.equals(d.repository()))
                .sorted(Comparator.comparing(DeploymentFact::deployedAt))
                .toList();
        List<FailureFact> failures = facts.failures().stream()
                .filter(f -> within(f.failedAt(), from, to))
                .filter(f -> repository == null || repository.equals(f.repository()))
                .toList();
        List<FailureFact> productionFailures = failures.stream()
                .filter(f -> "DEPLOY".equals(f.stage()) && production.equals(f.environment()))
                .toList();

        Set<String> repositories = new TreeSet<>();
        deployments.forEach(d -> repositories.add(d.repository()));
        productionFailures.forEach(f -> repositories.add(f.repository()));
        List<RepositoryDora> perRepository = new ArrayList<>();
        for (String name : repositories) {
            perRepository.add(new RepositoryDora(name, dora(
                    deployments.stream().filter(d -> d.repository().equals(name)).toList(),
                    productionFailures.stream().filter(f -> f.repository().equals(name)).toList(), days)));
        }
        List<StageTimes> runs = facts.runs().stream()
                .filter(r -> repository == null || repository.equals(r.repository()))
                .toList();
        return new DeliveryReport(from, to, repository, dora(deployments, productionFailures, days), perRepository,
                new Pipeline(stages(runs), reasons(failures)), days(deployments, from, to));
    }

    private static boolean within(Instant at, Instant from, Instant to) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    /** The DORA figures of production {@code deployments} (sorted by time) and production deploy failures. */
    private static Dora dora(List<DeploymentFact> deployments, List<FailureFact> failures, double days) {
        List<DeploymentFact> changes = deployments.stream().filter(d -> !d.rollback()).toList();
        Map<String, List<Instant>> failedAt = new HashMap<>();
        for (DeploymentFact d : deployments) {
            if (d.rollback() && d.rolledBackRunId() != null) {
                failedAt.computeIfAbsent(runKey(d.repository(), d.rolledBackRunId()), k -> new ArrayList<>())
                        .add(d.deployedAt());
            }
        }
        for (FailureFact f : failures) {
            failedAt.computeIfAbsent(runKey(f.repository(), f.runId()), k -> new ArrayList<>()).add(f.failedAt());
        }
        List<Optional<Instant>> failure = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            failure.add(failureOf(changes, i, failedAt));
        }

        List<Duration> fromCommit = new ArrayList<>();
        List<Duration> fromPush = new ArrayList<>();
        List<Duration> restores = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < changes.size(); i++) {
            DeploymentFact d = changes.get(i);
            fromCommit.add(span(d.commitTime(), d.deployedAt()));
            fromPush.add(span(d.triggeredAt(), d.deployedAt()));
            if (failure.get(i).isPresent()) {
                failed++;
                Instant broken = failure.get(i).get();
                for (int j = i + 1; j < changes.size(); j++) {
                    DeploymentFact next = changes.get(j);
                    if (next.repository().equals(d.repository()) && next.deployedAt().isAfter(broken)
                            && failure.get(j).isEmpty()) {
                        restores.add(Duration.between(broken, next.deployedAt()));
                        break;
                    }
                }
            }
        }
        double perDay = changes.size() / days;
        Percentiles.Spread commit = Percentiles.spread(fromCommit);
        Duration restoreMedian = Percentiles.of(restores, 50).orElse(null);
        Double rate = changes.isEmpty() ? null : (double) failed / changes.size();
        return new Dora(
                new Frequency(changes.size(), perDay, perDay * 7, Band.ofFrequency(perDay)),
                new LeadTime(commit, Percentiles.spread(fromPush),
                        commit.median() == null ? null : Band.ofLeadTime(commit.median())),
                new FailureRate(failed, changes.size(), rate, rate == null ? null : Band.ofFailureRate(rate)),
                new Restore(failed, restores.size(), restoreMedian,
                        restoreMedian == null ? null : Band.ofRestore(restoreMedian)));
    }

    /**
     * When production failed the change {@code changes[index]}: the first failure of its run at or after it was
     * deployed and before that run was deployed to production again.
     */
    private static Optional<Instant> failureOf(List<DeploymentFact> changes, int index,
                                               Map<String, List<Instant>> failedAt) {
        DeploymentFact d = changes.get(index);
        Instant until = Instant.MAX;
        for (int j = index + 1; j < changes.size(); j++) {
            DeploymentFact later = changes.get(j);
            if (later.repository().equals(d.repository()) && later.runId().equals(d.runId())) {
                until = later.deployedAt();
                break;
            }
        }
        Instant end = until;
        return failedAt.getOrDefault(runKey(d.repository(), d.runId()), List.of()).stream()
                .filter(at -> !at.isBefore(d.deployedAt()) && at.isBefore(end))
                .min(Comparator.naturalOrder());
    }

    private static String runKey(String repository, String runId) {
        return repository + '\n' + runId;
    }

    private static Duration span(Instant start, Instant end) {
        Duration span = Duration.between(start, end);
        return span.isNegative() ? Duration.ZERO : span;
    }

    private static List<StageDuration> stages(List<StageTimes> runs) {
        List<StageDuration> stages = new ArrayList<>();
        for (String[] stage : STAGES) {
            List<Duration> spans = new ArrayList<>();
            for (StageTimes run : runs) {
                Instant start = run.firstOccurred().get(stage[1]);
                Instant end = run.firstOccurred().get(stage[2]);
                if (start != null && end != null) {
                    spans.add(span(start, end));
                }
            }
            stages.add(new StageDuration(stage[0], Percentiles.spread(spans)));
        }
        return stages;
    }

    private static List<ReasonCount> reasons(List<FailureFact> failures) {
        Map<String, Long> counts = failures.stream()
                .filter(f -> !CANCELLATIONS.contains(f.reason()))
                .collect(Collectors.groupingBy(FailureFact::reason, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> new ReasonCount(e.getKey(), e.getValue().intValue()))
                .toList();
    }

    /** One entry per UTC day the period touches, from its first day to the day of its last instant. */
    private static List<Day> days(List<DeploymentFact> deployments, Instant from, Instant to) {
        Map<LocalDate, List<Duration>> leadTimes = new TreeMap<>();
        for (DeploymentFact d : deployments) {
            if (!d.rollback()) {
                leadTimes.computeIfAbsent(LocalDate.ofInstant(d.deployedAt(), ZoneOffset.UTC), k -> new ArrayList<>())
                        .add(span(d.commitTime(), d.deployedAt()));
            }
        }
        List<Day> days = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
            List<Duration> spans = leadTimes.getOrDefault(day, List.of());
            days.add(new Day(day, spans.size(), Percentiles.of(spans, 50).orElse(null)));
        }
        return days;
    }
}

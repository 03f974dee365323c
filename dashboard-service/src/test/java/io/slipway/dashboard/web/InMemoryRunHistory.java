package io.slipway.dashboard.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.slipway.dashboard.config.StoreFactory;
import jakarta.inject.Singleton;
import io.slipway.dashboard.domain.Deployment;
import io.slipway.dashboard.domain.EnvironmentView;
import io.slipway.dashboard.domain.LogSlice;
import io.slipway.dashboard.domain.RunDetail;
import io.slipway.dashboard.domain.RunFilter;
import io.slipway.dashboard.domain.RunHistory;
import io.slipway.dashboard.domain.RunPage;
import io.slipway.dashboard.domain.RunSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link RunHistory} fed with records by the test: the pages' store without a database. */
@Singleton
@Replaces(bean = RunHistory.class, factory = StoreFactory.class)
@Requires(property = InMemoryRunHistory.ENABLED, value = "true")
final class InMemoryRunHistory implements RunHistory {

    /** The property that makes this double replace the database's history (the pages tests set it). */
    static final String ENABLED = "slipway.test.in-memory-history";

    private final Map<String, RunDetail> runs = new ConcurrentHashMap<>();
    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
    private final Map<String, Boolean> logsComplete = new ConcurrentHashMap<>();
    private final Map<String, String> reports = new ConcurrentHashMap<>();
    private final List<EnvironmentView> environments = new CopyOnWriteArrayList<>();
    private final List<Deployment> deployments = new CopyOnWriteArrayList<>();

    /** Adds or replaces a run attempt. */
    void put(RunDetail run) {
        runs.put(key(run.summary().runId(), run.summary().attempt()), run);
    }

    void appendLog(String runId, int attempt, String text, boolean last) {
        logs.computeIfAbsent(key(runId, attempt), k -> new CopyOnWriteArrayList<>()).add(text);
        logsComplete.put(key(runId, attempt), last);
    }

    void putReport(String runId, int attempt, String xml) {
        reports.put(key(runId, attempt), xml);
    }

    void putEnvironment(EnvironmentView view) {
        environments.add(view);
    }

    void addDeployment(Deployment deployment) {
        deployments.add(0, deployment);
    }

    void clear() {
        runs.clear();
        logs.clear();
        logsComplete.clear();
        reports.clear();
        environments.clear();
        deployments.clear();
    }

    @Override
    public RunPage runs(RunFilter filter, String cursor, int limit) {
        int from = 0;
        if (cursor != null) {
            if (!cursor.startsWith("after:")) {
                throw new IllegalArgumentException("not a cursor: " + cursor);
            }
            from = Integer.parseInt(cursor.substring("after:".length()));
        }
        List<RunSummary> matching = runs.values().stream().map(RunDetail::summary)
                .filter(run -> filter.repository() == null || filter.repository().equals(run.repository()))
                .filter(run -> filter.branch() == null || filter.branch().equals(run.branch()))
                .filter(run -> filter.status() == null || filter.status() == run.status())
                .filter(run -> filter.stage() == null || filter.stage().equals(run.stage()))
                .sorted(Comparator.comparing(RunSummary::triggeredAt).reversed()
                        .thenComparing(RunSummary::runId).thenComparing(RunSummary::attempt))
                .toList();
        List<RunSummary> page = matching.subList(Math.min(from, matching.size()),
                Math.min(from + limit, matching.size()));
        String next = from + limit < matching.size() ? "after:" + (from + limit) : null;
        return new RunPage(new ArrayList<>(page), next);
    }

    @Override
    public Optional<RunDetail> run(String runId, int attempt) {
        if (attempt == 0) {
            List<Integer> attempts = attempts(runId);
            return attempts.isEmpty() ? Optional.empty()
                    : Optional.ofNullable(runs.get(key(runId, attempts.get(attempts.size() - 1))));
        }
        return Optional.ofNullable(runs.get(key(runId, attempt)));
    }

    @Override
    public List<Integer> attempts(String runId) {
        return runs.values().stream().map(RunDetail::summary).filter(run -> run.runId().equals(runId))
                .map(RunSummary::attempt).sorted().toList();
    }

    @Override
    public LogSlice log(String runId, int attempt, int from) {
        List<String> chunks = logs.getOrDefault(key(runId, attempt), List.of());
        List<String> snapshot = List.copyOf(chunks);
        if (from >= snapshot.size()) {
            return new LogSlice("", Math.max(from, snapshot.size()), logsComplete.getOrDefault(key(runId, attempt),
                    false), false);
        }
        return new LogSlice(String.join("", snapshot.subList(from, snapshot.size())), snapshot.size(),
                logsComplete.getOrDefault(key(runId, attempt), false), false);
    }

    @Override
    public Optional<String> junitXml(String runId, int attempt) {
        return Optional.ofNullable(reports.get(key(runId, attempt)));
    }

    @Override
    public List<EnvironmentView> environments() {
        return List.copyOf(environments);
    }

    @Override
    public List<Deployment> deployments(String environment, String repository, int limit) {
        return deployments.stream()
                .filter(d -> environment == null || environment.equals(d.environment()))
                .filter(d -> repository == null || repository.equals(d.repository()))
                .limit(limit).toList();
    }

    @Override
    public List<String> repositories() {
        return runs.values().stream().map(run -> run.summary().repository()).distinct().sorted().toList();
    }

    private static String key(String runId, int attempt) {
        return runId + "/" + attempt;
    }
}

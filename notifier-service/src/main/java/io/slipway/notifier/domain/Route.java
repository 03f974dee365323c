package io.slipway.notifier.domain;

import io.slipway.common.glob.Glob;

import java.util.List;
import java.util.Set;

/**
 * One routing rule: outcomes of matching repositories, branches, stages (empty: every stage) and event kinds go to the
 * named Slack webhooks and issue trackers.
 */
public record Route(List<Glob> repositories, List<Glob> branches, Set<String> stages, Set<EventKind> events,
                    List<String> slack, List<String> issues) {

    public Route {
        repositories = List.copyOf(repositories);
        branches = List.copyOf(branches);
        stages = Set.copyOf(stages);
        events = Set.copyOf(events);
        slack = List.copyOf(slack);
        issues = List.copyOf(issues);
    }

    /** Whether the notification passes every filter of the rule. */
    public boolean matches(Notification n) {
        return matchesRepositoryAndBranch(n) && (stages.isEmpty() || stages.contains(n.stage()))
                && events.contains(n.kind());
    }

    public boolean matchesRepositoryAndBranch(Notification n) {
        return Glob.any(repositories, n.repository()) && Glob.any(branches, n.branch());
    }
}

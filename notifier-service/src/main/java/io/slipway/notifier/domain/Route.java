package io.slipway.notifier.domain;

import io.slipway.common.glob.Glob;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One routing rule: outcomes of matching repositories, branches, stages (empty: every stage) and event kinds go to the
 * named Slack webhooks and issue trackers. {@code requests} says whether the rule hears runs of pushes, of pull and
 * merge requests, or both; for a request, {@code branches} match its target branch. {@code environments} (globs)
 * narrow what the rule hears of deployments, rollbacks and failed deployments; they do not filter other outcomes.
 */
public record Route(List<Glob> repositories, List<Glob> branches, Set<String> stages, Set<EventKind> events,
                    List<String> slack, List<String> issues, Requests requests, List<Glob> environments) {

    /** Which runs a rule hears: pushes only ({@code false}, the default), both ({@code true}), requests only. */
    public enum Requests {
        FALSE, TRUE, ONLY;

        /** Parses {@code true}, {@code false} or {@code only}, in any case; null or blank is {@code false}. */
        public static Requests parse(String text) {
            if (text == null || text.isBlank()) {
                return FALSE;
            }
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("requests must be true, false or only, was '" + text + "'", e);
            }
        }
    }

    public Route {
        repositories = List.copyOf(repositories);
        branches = List.copyOf(branches);
        stages = Set.copyOf(stages);
        events = Set.copyOf(events);
        slack = List.copyOf(slack);
        issues = List.copyOf(issues);
        environments = List.copyOf(environments);
    }

    /** A rule that hears every environment. */
    public Route(List<Glob> repositories, List<Glob> branches, Set<String> stages, Set<EventKind> events,
                 List<String> slack, List<String> issues, Requests requests) {
        this(repositories, branches, stages, events, slack, issues, requests, List.of(Glob.of("**")));
    }

    /** A rule for runs of pushes only. */
    public Route(List<Glob> repositories, List<Glob> branches, Set<String> stages, Set<EventKind> events,
                 List<String> slack, List<String> issues) {
        this(repositories, branches, stages, events, slack, issues, Requests.FALSE);
    }

    /** Whether the notification passes every filter of the rule. */
    public boolean matches(Notification n) {
        return matchesRepositoryAndBranch(n) && (stages.isEmpty() || stages.contains(n.stage()))
                && events.contains(n.kind())
                && (!n.isDeployment() || Glob.any(environments, n.deployment().environment()));
    }

    /** Whether the rule covers the notification's repository and branch (a request's target branch). */
    public boolean matchesRepositoryAndBranch(Notification n) {
        boolean heard = n.isRequest() ? requests != Requests.FALSE : requests != Requests.ONLY;
        return heard && Glob.any(repositories, n.repository())
                && Glob.any(branches, n.isRequest() ? n.request().targetBranch() : n.branch());
    }
}

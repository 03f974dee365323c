package io.slipway.notifier.domain;

import io.slipway.common.glob.Glob;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which channels hear about an outcome. Slack webhooks get what their rules match. An issue tracker gets the
 * failures its rules match and every publication of a repository and branch its rules cover, whatever their event
 * and stage filters, so that an issue it opened is always closed when the branch recovers; runs of pull and merge
 * requests never reach an issue tracker. Commit statuses go to the first forge, in configuration order, whose
 * repository globs match; the failures and passes of a request's runs go to the request comments of the first forge
 * that comments and hosts the repository; deployments, rollbacks and failed deployments go to the deployments of the
 * first forge that records them and hosts the repository (besides the commit status of the environment). Channels
 * that are not enabled get nothing.
 */
public final class Routing {

    /** A forge that sets commit statuses (or comments on requests) for the repositories it hosts. */
    public record StatusTarget(String forge, List<Glob> repositories) {
    }

    private final List<Route> routes;
    private final List<StatusTarget> statusTargets;
    private final List<StatusTarget> commentTargets;
    private final List<StatusTarget> deploymentTargets;
    private final Set<ChannelId> enabled;

    public Routing(List<Route> routes, List<StatusTarget> statusTargets, List<StatusTarget> commentTargets,
                   List<StatusTarget> deploymentTargets, Set<ChannelId> enabled) {
        this.routes = List.copyOf(routes);
        this.statusTargets = List.copyOf(statusTargets);
        this.commentTargets = List.copyOf(commentTargets);
        this.deploymentTargets = List.copyOf(deploymentTargets);
        this.enabled = Set.copyOf(enabled);
    }

    /** Routing without forge deployments. */
    public Routing(List<Route> routes, List<StatusTarget> statusTargets, List<StatusTarget> commentTargets,
                   Set<ChannelId> enabled) {
        this(routes, statusTargets, commentTargets, List.of(), enabled);
    }

    /** The channels for a notification, without duplicates, in configuration order. */
    public List<ChannelId> channelsFor(Notification n) {
        Set<ChannelId> targets = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.matches(n)) {
                route.slack().forEach(name -> targets.add(new ChannelId(ChannelId.Type.SLACK, name)));
            }
            boolean issueEvent = !n.isRequest() && (n.kind() == EventKind.FAILED ? route.matches(n)
                    : n.kind() == EventKind.PUBLISHED && route.matchesRepositoryAndBranch(n));
            if (issueEvent) {
                route.issues().forEach(name -> targets.add(new ChannelId(ChannelId.Type.ISSUES, name)));
            }
        }
        statusTargets.stream().filter(t -> Glob.any(t.repositories(), n.repository())).findFirst()
                .ifPresent(t -> targets.add(new ChannelId(ChannelId.Type.STATUS, t.forge())));
        if (n.isRequest() && (n.kind() == EventKind.FAILED || n.kind() == EventKind.PASSED)) {
            commentTargets.stream().filter(t -> Glob.any(t.repositories(), n.repository())).findFirst()
                    .ifPresent(t -> targets.add(new ChannelId(ChannelId.Type.REQUESTS, t.forge())));
        }
        if (n.isDeployment() && n.kind() != EventKind.CANCELLED) {
            deploymentTargets.stream().filter(t -> Glob.any(t.repositories(), n.repository())).findFirst()
                    .ifPresent(t -> targets.add(new ChannelId(ChannelId.Type.DEPLOYMENTS, t.forge())));
        }
        List<ChannelId> result = new ArrayList<>(targets);
        result.retainAll(enabled);
        return result;
    }

    /** Every enabled channel. */
    public Set<ChannelId> channels() {
        return enabled;
    }

    /** One delivery per channel that hears about the notification. */
    public List<Delivery> deliveriesFor(Notification n) {
        return channelsFor(n).stream().map(channel -> new Delivery(channel, n)).toList();
    }
}

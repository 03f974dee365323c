package io.slipway.notifier.config;

import io.slipway.common.glob.Glob;
import io.slipway.notifier.adapter.github.GitHubForge;
import io.slipway.notifier.adapter.gitlab.GitLabForge;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.adapter.slack.BlockKitMessage;
import io.slipway.notifier.adapter.slack.SlackWebhook;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.ChatChannel;
import io.slipway.notifier.domain.CommitStatuses;
import io.slipway.notifier.domain.ForgeDeployments;
import io.slipway.notifier.domain.IssueTracker;
import io.slipway.notifier.domain.NotificationTexts;
import io.slipway.notifier.domain.RequestComments;
import io.slipway.notifier.domain.Routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The channels configuration declares, with an adapter for each enabled one. Names must be unique per kind and
 * forge types known; a declared channel without its secret is disabled (so environment-driven defaults may stay
 * unset), and gets nothing.
 */
public record ConfiguredChannels(Map<ChannelId, ChatChannel> chats, Map<ChannelId, IssueTracker> trackers,
                                 Map<ChannelId, CommitStatuses> statuses, Map<ChannelId, RequestComments> comments,
                                 Map<ChannelId, ForgeDeployments> deployments,
                                 List<Routing.StatusTarget> statusTargets, List<Routing.StatusTarget> commentTargets,
                                 List<Routing.StatusTarget> deploymentTargets,
                                 Set<String> declaredSlack, Set<String> declaredForges) {

    /** Every configured credential, to be masked wherever it might appear. */
    static List<String> secrets(List<SlackProperties> slack, List<ForgeProperties> forges) {
        return Stream.concat(slack.stream().filter(SlackProperties::enabled).map(SlackProperties::webhookUrl),
                forges.stream().filter(ForgeProperties::enabled).map(ForgeProperties::token)).toList();
    }

    static ConfiguredChannels from(List<SlackProperties> slack, List<ForgeProperties> forges, JsonHttp http,
                                   NotificationTexts texts) {
        Map<ChannelId, ChatChannel> chats = new LinkedHashMap<>();
        Map<ChannelId, IssueTracker> trackers = new LinkedHashMap<>();
        Map<ChannelId, CommitStatuses> statuses = new LinkedHashMap<>();
        Map<ChannelId, RequestComments> comments = new LinkedHashMap<>();
        Map<ChannelId, ForgeDeployments> deployments = new LinkedHashMap<>();
        List<Routing.StatusTarget> targets = new ArrayList<>();
        List<Routing.StatusTarget> commentTargets = new ArrayList<>();
        List<Routing.StatusTarget> deploymentTargets = new ArrayList<>();
        BlockKitMessage message = new BlockKitMessage(texts);
        Set<String> slackNames = unique("slack", slack.stream().sorted(Comparator.comparing(SlackProperties::index))
                .map(SlackProperties::name).toList());
        for (SlackProperties s : slack) {
            if (s.enabled()) {
                chats.put(new ChannelId(ChannelId.Type.SLACK, s.name()),
                        new SlackWebhook(s.name(), URI.create(s.webhookUrl().strip()), http, message));
            }
        }
        List<ForgeProperties> ordered = forges.stream().sorted(Comparator.comparing(ForgeProperties::index)).toList();
        Set<String> forgeNames = unique("forges", ordered.stream().map(ForgeProperties::name).toList());
        for (ForgeProperties f : ordered) {
            String type = f.type() == null ? "" : f.type().strip().toLowerCase(Locale.ROOT);
            if (!type.equals("github") && !type.equals("gitlab")) {
                throw new IllegalStateException("slipway.notifier.forges[" + f.index() + "].type must be github or gitlab, was " + f.type());
            }
            if (!f.enabled()) {
                continue;
            }
            List<String> labels = f.labels() == null ? List.of("slipway") : f.labels();
            String context = blank(f.statusContext()) ? "slipway" : f.statusContext();
            IssueTracker tracker;
            CommitStatuses commitStatuses;
            RequestComments requestComments;
            ForgeDeployments forgeDeployments;
            if (type.equals("github")) {
                GitHubForge github = new GitHubForge(f.name(), baseUrl(f, "https://api.github.com"), f.token().strip(),
                        labels, f.issueRepository(), context, http);
                tracker = github;
                commitStatuses = github;
                requestComments = github;
                forgeDeployments = github;
            } else {
                GitLabForge gitlab = new GitLabForge(f.name(), baseUrl(f, "https://gitlab.com/api/v4"), f.token().strip(),
                        labels, f.issueRepository(), context, http);
                tracker = gitlab;
                commitStatuses = gitlab;
                requestComments = gitlab;
                forgeDeployments = gitlab;
            }
            trackers.put(new ChannelId(ChannelId.Type.ISSUES, f.name()), tracker);
            List<String> repositories = f.repositories() == null ? List.of() : f.repositories().stream().filter(r -> !blank(r)).toList();
            if (!Boolean.FALSE.equals(f.commitStatus()) && !repositories.isEmpty()) {
                statuses.put(new ChannelId(ChannelId.Type.STATUS, f.name()), commitStatuses);
                targets.add(new Routing.StatusTarget(f.name(), repositories.stream().map(Glob::of).toList()));
            }
            if (!Boolean.FALSE.equals(f.requestComments()) && !repositories.isEmpty()) {
                comments.put(new ChannelId(ChannelId.Type.REQUESTS, f.name()), requestComments);
                commentTargets.add(new Routing.StatusTarget(f.name(), repositories.stream().map(Glob::of).toList()));
            }
            if (!Boolean.FALSE.equals(f.deployments()) && !repositories.isEmpty()) {
                deployments.put(new ChannelId(ChannelId.Type.DEPLOYMENTS, f.name()), forgeDeployments);
                deploymentTargets.add(new Routing.StatusTarget(f.name(), repositories.stream().map(Glob::of).toList()));
            }
        }
        return new ConfiguredChannels(chats, trackers, statuses, comments, deployments, targets, commentTargets,
                deploymentTargets, slackNames, forgeNames);
    }

    /** Every enabled channel, in configuration order. */
    public Set<ChannelId> enabled() {
        Set<ChannelId> all = new LinkedHashSet<>(chats.keySet());
        all.addAll(trackers.keySet());
        all.addAll(statuses.keySet());
        all.addAll(comments.keySet());
        all.addAll(deployments.keySet());
        return all;
    }

    private static URI baseUrl(ForgeProperties f, String fallback) {
        return URI.create(blank(f.baseUrl()) ? fallback : f.baseUrl().strip());
    }

    private static Set<String> unique(String kind, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (blank(name) || !seen.add(name)) {
                throw new IllegalStateException("slipway.notifier." + kind + ": every entry needs a unique name, got '" + name + "'");
            }
        }
        return seen;
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

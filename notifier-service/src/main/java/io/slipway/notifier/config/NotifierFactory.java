package io.slipway.notifier.config;

import io.slipway.common.links.RunLinks;
import io.micronaut.context.annotation.Factory;
import io.slipway.common.glob.Glob;
import io.slipway.common.kafka.RetryBudget;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChannelMemoryStore;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.NotificationDispatcher;
import io.slipway.notifier.domain.NotificationTexts;
import io.slipway.notifier.domain.Retrier;
import io.slipway.notifier.domain.Route;
import io.slipway.notifier.domain.Routing;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the notifier's plain domain objects from configuration. A route that names a Slack webhook or forge not
 * declared in configuration stops the service at start-up; one that names a declared but disabled channel skips it.
 */
@Factory
public class NotifierFactory {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierFactory.class);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    NotificationTexts texts(NotifierProperties properties, List<SlackProperties> slack, List<ForgeProperties> forges) {
        String runUrl = properties.runUrl() == null || properties.runUrl().isBlank()
                ? RunLinks.runPageTemplate(properties.dashboardUrl()) : properties.runUrl();
        return new NotificationTexts(runUrl, properties.artifactUrl(), properties.logExcerptChars(),
                ConfiguredChannels.secrets(slack, forges));
    }

    @Singleton
    ConfiguredChannels channels(List<SlackProperties> slack, List<ForgeProperties> forges,
                                NotifierProperties properties, NotificationTexts texts, Clock clock) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build();
        JsonHttp http = new JsonHttp(client, properties.requestTimeout(), clock, ConfiguredChannels.secrets(slack, forges));
        ConfiguredChannels channels = ConfiguredChannels.from(slack, forges, http, texts);
        LOG.info("Notification channels enabled: {}", channels.enabled());
        return channels;
    }

    @Singleton
    Routing routing(List<RouteProperties> routes, ConfiguredChannels channels) {
        List<Route> rules = routes.stream().sorted(Comparator.comparing(RouteProperties::index))
                .map(r -> route(r, channels)).toList();
        return new Routing(rules, channels.statusTargets(), channels.commentTargets(), channels.deploymentTargets(),
                channels.enabled());
    }

    @Singleton
    NotificationDispatcher dispatcher(ConfiguredChannels channels, ChannelMemoryStore memories, NotificationTexts texts,
                                      NotifierProperties properties, Clock clock) {
        NotifierProperties.Retry retry = properties.retry();
        Retrier.Policy policy = new Retrier.Policy(new RetryBudget(retry.budget(), retry.initialBackoff(),
                retry.maxBackoff()), retry.maxRetryAfter(), clock);
        return new NotificationDispatcher(channels.chats(), channels.trackers(), channels.statuses(), channels.comments(),
                channels.deployments(), memories, texts, policy, properties.dedupeWindow());
    }

    private static Route route(RouteProperties r, ConfiguredChannels channels) {
        String where = "slipway.notifier.routes[" + r.index() + "]";
        return new Route(
                or(r.repositories(), List.of("**")).stream().map(Glob::of).toList(),
                or(r.branches(), List.of("**")).stream().map(Glob::of).toList(),
                Set.copyOf(or(r.stages(), List.<String>of()).stream().map(s -> s.strip().toUpperCase(Locale.ROOT)).toList()),
                Set.copyOf(or(r.events(), List.of("FAILED", "PUBLISHED", "PASSED", "DEPLOYED", "ROLLED_BACK")).stream()
                        .map(e -> EventKind.valueOf(e.strip().toUpperCase(Locale.ROOT))).toList()),
                declared(where + ".slack", or(r.slack(), List.of()), channels.declaredSlack()),
                declared(where + ".issues", or(r.issues(), List.of()), channels.declaredForges()),
                requests(where, r.requests()),
                or(r.environments(), List.of("**")).stream().map(Glob::of).toList());
    }

    private static Route.Requests requests(String where, String value) {
        try {
            return Route.Requests.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + "." + e.getMessage(), e);
        }
    }

    private static List<String> declared(String where, List<String> names, Set<String> declared) {
        List<String> stripped = names.stream().map(String::strip).toList();
        Set<String> unknown = new HashSet<>(stripped);
        unknown.removeAll(declared);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(where + " names " + unknown + ", which are not declared (declared: " + declared + ")");
        }
        return stripped;
    }

    private static <T> List<T> or(List<T> value, List<T> fallback) {
        return value == null || value.stream().allMatch(v -> v == null || v.toString().isBlank()) ? fallback
                : value.stream().filter(v -> v != null && !v.toString().isBlank()).toList();
    }
}

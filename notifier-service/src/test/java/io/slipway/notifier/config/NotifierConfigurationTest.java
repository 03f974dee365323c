package io.slipway.notifier.config;

import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.Samples;
import io.slipway.notifier.domain.Notification;
import io.slipway.notifier.domain.NotificationTexts;
import io.slipway.notifier.domain.Routing;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifierConfigurationTest {

    private static final String WEBHOOK = "https://hooks.slack.com/services/T0123456789/B1001010101/7IsoQTrixdUtE971O1xQTm4T";

    private final JsonHttp http = new JsonHttp(HttpClient.newHttpClient(), Duration.ofSeconds(1), Clock.systemUTC(), List.of());
    private final NotificationTexts texts = new NotificationTexts(null, null, 100, List.of());
    private final List<SlackProperties> slack = List.of(new SlackProperties(0, "ops", WEBHOOK), new SlackProperties(1, "team", ""));
    private final List<ForgeProperties> forges = List.of(
            new ForgeProperties(0, "gitlab", "gitlab", "https://gitlab.example.com/api/v4", "glpat-x", List.of("infra/**"),
                    null, null, null, null, null, null),
            new ForgeProperties(1, "github", "GitHub", null, "ghp_x", List.of("**"), false, null, null, null, false, false),
            new ForgeProperties(2, "ghe", "github", "https://ghe.example.com/api/v3", null, List.of("**"), true, null, null, null, true, true));

    private Routing routing(RouteProperties... routes) {
        return new NotifierFactory().routing(List.of(routes), ConfiguredChannels.from(slack, forges, http, texts));
    }

    @Test
    void enablesOnlyChannelsWithTheirSecretsAndCommitStatusesWhereSwitchedOn() {
        ConfiguredChannels channels = ConfiguredChannels.from(slack, forges, http, texts);

        assertThat(channels.enabled()).extracting(ChannelId::toString)
                .containsExactly("slack:ops", "issues:gitlab", "issues:github", "status:gitlab", "requests:gitlab",
                        "deployments:gitlab");
        assertThat(ConfiguredChannels.secrets(slack, forges)).containsExactly(WEBHOOK, "glpat-x", "ghp_x");
    }

    @Test
    void routesWithDefaultsHearFailuresAndPublicationsOfEveryRepositoryAndBranch() {
        Routing routing = routing(new RouteProperties(0, null, null, null, null, List.of("ops", "team"), List.of("github", "ghe"), null, null));

        assertThat(routing.channelsFor(notification(EventKind.FAILED, "infra/net", "feature/x", T0))).extracting(ChannelId::toString)
                .containsExactly("slack:ops", "issues:github", "status:gitlab");
        assertThat(routing.channelsFor(notification(EventKind.STARTED, "infra/net", "main", T0))).extracting(ChannelId::toString)
                .containsExactly("status:gitlab");
    }

    @Test
    void aRouteNamingAnUndeclaredChannelStopsTheService() {
        assertThatThrownBy(() -> routing(new RouteProperties(3, null, null, null, null, List.of("opps"), null, null, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("routes[3].slack names [opps]");
        assertThatThrownBy(() -> ConfiguredChannels.from(List.of(new SlackProperties(0, "a", WEBHOOK),
                new SlackProperties(1, "a", WEBHOOK)), List.of(), http, texts)).hasMessageContaining("unique name");
        assertThatThrownBy(() -> ConfiguredChannels.from(List.of(), List.of(new ForgeProperties(0, "b", "bitbucket",
                null, "t", null, null, null, null, null, null, null)), http, texts)).hasMessageContaining("github or gitlab");
        assertThatThrownBy(() -> routing(new RouteProperties(4, null, null, null, null, List.of("ops"), null, "sometimes", null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("routes[4].requests must be true, false or only, was 'sometimes'");
    }

    @Test
    void aRouteHearsRequestsOnlyWhenItSaysSoAndRequestCommentsGoToTheForgeHostingTheRepository() {
        Routing routing = routing(new RouteProperties(0, null, null, null, null, null, List.of("gitlab"), null, null),
                new RouteProperties(1, null, List.of("main"), null, null, List.of("ops"), null, "only", null));
        Notification requestFailed = Samples.ofRequest(EventKind.FAILED, "infra/net",
                Samples.pullRequest("infra/net", true), "BUILD_ERROR", T0);
        Notification requestPassed = Samples.ofRequest(EventKind.PASSED, "infra/net",
                Samples.pullRequest("infra/net", true), null, T0);

        assertThat(routing.channelsFor(requestFailed)).extracting(ChannelId::toString)
                .containsExactly("slack:ops", "status:gitlab", "requests:gitlab");
        assertThat(routing.channelsFor(requestPassed)).extracting(ChannelId::toString)
                .containsExactly("slack:ops", "status:gitlab", "requests:gitlab");
        assertThat(routing.channelsFor(notification(EventKind.FAILED, "infra/net", "main", T0))).extracting(ChannelId::toString)
                .containsExactly("issues:gitlab", "status:gitlab");
    }

    @Test
    void configurationNeverPrintsItsSecrets() {
        assertThat(slack.get(0).toString()).doesNotContain("7IsoQTrix").contains("****");
        assertThat(forges.get(0).toString()).doesNotContain("glpat-x").contains("****");
    }

    private static NotifierProperties properties(String runUrl, String dashboardUrl) {
        return new NotifierProperties(runUrl, dashboardUrl, "https://{registry}/v2/{repository}/manifests/{digest}",
                Duration.ofSeconds(10), 500, 4000, new NotifierProperties.Retry(Duration.ofMinutes(20),
                Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15)));
    }

    @Test
    void runLinksGoToTheDashboardsRunPageOfTheAttemptUnlessARunUrlIsSet() {
        Notification n = notification(EventKind.FAILED, "infra/net", "main", T0);
        NotifierFactory factory = new NotifierFactory();

        assertThat(factory.texts(properties(null, "https://slipway.example.com/"), List.of(), List.of()).runUrl(n))
                .hasValue("https://slipway.example.com/runs/" + n.runId() + "/" + n.attempt());
        assertThat(factory.texts(properties("", "http://127.0.0.1:8087"), List.of(), List.of()).runUrl(n))
                .hasValue("http://127.0.0.1:8087/runs/" + n.runId() + "/" + n.attempt());
        assertThat(factory.texts(properties("https://ci.example.com/r/{runId}?try={attempt}", "http://unused"),
                List.of(), List.of()).runUrl(n))
                .hasValue("https://ci.example.com/r/" + n.runId() + "?try=" + n.attempt());
    }
}

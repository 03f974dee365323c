package io.slipway.notifier.domain;

import io.slipway.common.glob.Glob;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.failed;
import static io.slipway.notifier.Samples.notification;
import static io.slipway.notifier.Samples.published;
import static org.assertj.core.api.Assertions.assertThat;

class RoutingTest {

    private static final ChannelId OPS = ChannelId.parse("slack:ops");
    private static final ChannelId RELEASES = ChannelId.parse("slack:releases");
    private static final ChannelId GITHUB_ISSUES = ChannelId.parse("issues:github");
    private static final ChannelId GITHUB_STATUS = ChannelId.parse("status:github");
    private static final ChannelId GITLAB_STATUS = ChannelId.parse("status:gitlab");

    private static List<Glob> globs(String... globs) {
        return java.util.Arrays.stream(globs).map(Glob::of).toList();
    }

    private static Route route(String repositories, String branches, Set<String> stages, Set<EventKind> events,
                               List<String> slack, List<String> issues) {
        return new Route(globs(repositories), globs(branches), stages, events, slack, issues);
    }

    private final Routing routing = new Routing(List.of(
            route("octo-org/*", "{main,release/**}", Set.of("BUILD", "TEST"), Set.of(EventKind.FAILED), List.of("ops"), List.of("github")),
            route("**", "**", Set.of(), Set.of(EventKind.PUBLISHED), List.of("releases"), List.of())),
            List.of(new Routing.StatusTarget("gitlab", globs("gitlab-group/**")), new Routing.StatusTarget("github", globs("**"))),
            Set.of(OPS, RELEASES, GITHUB_ISSUES, GITHUB_STATUS, GITLAB_STATUS));

    @Test
    void routesAMatchingFailureToItsSlackWebhookIssueTrackerAndCommitStatus() {
        assertThat(routing.channelsFor(failed("octo-org/app", "release/1.2", T0)))
                .containsExactly(OPS, GITHUB_ISSUES, GITHUB_STATUS);
    }

    @Test
    void branchGlobsStageFiltersAndSegmentsLimitWhatARouteHears() {
        assertThat(routing.channelsFor(failed("octo-org/app", "feature/x", T0))).containsExactly(GITHUB_STATUS);
        assertThat(routing.channelsFor(failed("octo-org/team/app", "main", T0))).containsExactly(GITHUB_STATUS);
        Notification deliverFailure = new Notification("e", EventKind.FAILED, "r", 1, "octo-org/app", null,
                "refs/heads/main", "abc", "", "", "DELIVER", "PUSH_DENIED", null, null, null, T0, T0);
        assertThat(routing.channelsFor(deliverFailure)).containsExactly(GITHUB_STATUS);
    }

    @Test
    void aPublicationReachesTheIssueTrackerOfItsBranchEvenWhenTheRouteOnlyListensToFailures() {
        assertThat(routing.channelsFor(published("octo-org/app", "main", T0)))
                .containsExactly(GITHUB_ISSUES, RELEASES, GITHUB_STATUS);
        assertThat(routing.channelsFor(published("octo-org/app", "feature/x", T0))).containsExactly(RELEASES, GITHUB_STATUS);
    }

    @Test
    void commitStatusesGoToTheFirstForgeHostingTheRepository() {
        assertThat(routing.channelsFor(notification(EventKind.STARTED, "gitlab-group/sub/app", "main", T0)))
                .containsExactly(GITLAB_STATUS);
    }

    @Test
    void supersededRunsOnlySetTheCommitStatus() {
        assertThat(routing.channelsFor(notification(EventKind.CANCELLED, "octo-org/app", "main", T0)))
                .containsExactly(GITHUB_STATUS);
    }

    @Test
    void disabledChannelsGetNothing() {
        Routing withoutSecrets = new Routing(List.of(route("**", "**", Set.of(), Set.of(EventKind.FAILED), List.of("ops"),
                List.of("github"))), List.of(), Set.of(GITHUB_ISSUES));

        assertThat(withoutSecrets.channelsFor(failed("octo-org/app", "main", T0))).containsExactly(GITHUB_ISSUES);
        assertThat(withoutSecrets.deliveriesFor(failed("octo-org/app", "main", T0)))
                .extracting(Delivery::channel).containsExactly(GITHUB_ISSUES);
    }
}

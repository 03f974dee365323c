package io.slipway.notifier.domain;

import io.slipway.common.glob.Glob;
import io.slipway.notifier.Samples;
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
            List.of(new Routing.StatusTarget("github", globs("octo-org/**"))),
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
                List.of("github"))), List.of(), List.of(), Set.of(GITHUB_ISSUES));

        assertThat(withoutSecrets.channelsFor(failed("octo-org/app", "main", T0))).containsExactly(GITHUB_ISSUES);
        assertThat(withoutSecrets.deliveriesFor(failed("octo-org/app", "main", T0)))
                .extracting(Delivery::channel).containsExactly(GITHUB_ISSUES);
    }

    private static final ChannelId GITHUB_REQUESTS = ChannelId.parse("requests:github");
    private static final ChannelId DEV = ChannelId.parse("slack:dev");

    private static Route route(String branches, Route.Requests requests, String slack) {
        return new Route(globs("**"), globs(branches), Set.of(), Set.of(EventKind.FAILED, EventKind.PASSED,
                EventKind.PUBLISHED), List.of(slack), List.of("github"), requests);
    }

    private final Routing byRequests = new Routing(List.of(
            route("main", Route.Requests.FALSE, "ops"),
            route("main", Route.Requests.ONLY, "dev"),
            route("release/**", Route.Requests.TRUE, "releases")),
            List.of(new Routing.StatusTarget("github", globs("**"))),
            List.of(new Routing.StatusTarget("github", globs("octo-org/**"))),
            Set.of(OPS, DEV, RELEASES, GITHUB_ISSUES, GITHUB_STATUS, GITHUB_REQUESTS));

    private static Notification ofRequest(EventKind kind, String repository, String target, String reason) {
        ChangeRequest pr = Samples.pullRequest(repository, false);
        return Samples.ofRequest(kind, repository, new ChangeRequest(pr.number(), pr.kind(), pr.sourceBranch(), target,
                pr.sourceRepository(), pr.author(), pr.fromFork(), pr.headSha(), pr.webUrl()), reason, T0);
    }

    @Test
    void aRouteHearsPushesRequestsOrBothAndMatchesARequestByItsTargetBranch() {
        assertThat(byRequests.channelsFor(failed("octo-org/app", "main", T0)))
                .containsExactly(OPS, GITHUB_ISSUES, GITHUB_STATUS);
        assertThat(byRequests.channelsFor(ofRequest(EventKind.FAILED, "octo-org/app", "main", "BUILD_ERROR")))
                .containsExactly(DEV, GITHUB_STATUS, GITHUB_REQUESTS);
        assertThat(byRequests.channelsFor(failed("octo-org/app", "release/2", T0)))
                .containsExactly(RELEASES, GITHUB_ISSUES, GITHUB_STATUS);
        assertThat(byRequests.channelsFor(ofRequest(EventKind.FAILED, "octo-org/app", "release/2", "BUILD_ERROR")))
                .containsExactly(RELEASES, GITHUB_STATUS, GITHUB_REQUESTS);
        assertThat(byRequests.channelsFor(ofRequest(EventKind.FAILED, "octo-org/app", "feature/x", "BUILD_ERROR")))
                .containsExactly(GITHUB_STATUS, GITHUB_REQUESTS);
    }

    @Test
    void aRequestsRunNeverReachesAnIssueTrackerAndGetsACommentOnlyWhenItFailsOrPasses() {
        assertThat(byRequests.channelsFor(ofRequest(EventKind.PASSED, "octo-org/app", "main", null)))
                .containsExactly(DEV, GITHUB_STATUS, GITHUB_REQUESTS);
        for (String reason : List.of("SUPERSEDED", "CANCELLED")) {
            assertThat(byRequests.channelsFor(ofRequest(EventKind.CANCELLED, "octo-org/app", "main", reason)))
                    .containsExactly(GITHUB_STATUS);
        }
        assertThat(byRequests.channelsFor(ofRequest(EventKind.IGNORED, "octo-org/app", "main", "IGNORED")))
                .containsExactly(GITHUB_STATUS);
        assertThat(byRequests.channelsFor(ofRequest(EventKind.STARTED, "octo-org/app", "main", null)))
                .containsExactly(GITHUB_STATUS);
        assertThat(byRequests.channelsFor(ofRequest(EventKind.FAILED, "other-org/app", "main", "BUILD_ERROR")))
                .containsExactly(DEV, GITHUB_STATUS);
    }

    @Test
    void anIgnoredPushIsNoFailure() {
        assertThat(byRequests.channelsFor(notification(EventKind.IGNORED, "octo-org/app", "main", T0)))
                .containsExactly(GITHUB_STATUS);
    }

    private static final ChannelId GITHUB_DEPLOYMENTS = ChannelId.parse("deployments:github");

    private final Routing byEnvironment = new Routing(List.of(
            new Route(globs("**"), globs("main"), Set.of(), Set.of(EventKind.FAILED, EventKind.DEPLOYED,
                    EventKind.ROLLED_BACK), List.of("ops"), List.of("github"), Route.Requests.FALSE, globs("production")),
            new Route(globs("**"), globs("**"), Set.of(), Set.of(EventKind.DEPLOYED), List.of("releases"), List.of())),
            List.of(new Routing.StatusTarget("github", globs("octo-org/**"))), List.of(),
            List.of(new Routing.StatusTarget("github", globs("octo-org/**"))),
            Set.of(OPS, RELEASES, GITHUB_ISSUES, GITHUB_STATUS, GITHUB_DEPLOYMENTS));

    @Test
    void deploymentsReachTheRoutesOfTheirEnvironmentTheCommitStatusAndTheForgesDeployments() {
        assertThat(byEnvironment.channelsFor(Samples.deployed("octo-org/app", "production", T0)))
                .containsExactly(OPS, RELEASES, GITHUB_STATUS, GITHUB_DEPLOYMENTS);
        assertThat(byEnvironment.channelsFor(Samples.deployed("octo-org/app", "staging", T0)))
                .containsExactly(RELEASES, GITHUB_STATUS, GITHUB_DEPLOYMENTS);
        assertThat(byEnvironment.channelsFor(Samples.rolledBack("octo-org/app", "staging", T0)))
                .containsExactly(GITHUB_STATUS, GITHUB_DEPLOYMENTS);
        assertThat(byEnvironment.channelsFor(Samples.deployFailed("octo-org/app", "production", T0)))
                .containsExactly(OPS, GITHUB_ISSUES, GITHUB_STATUS, GITHUB_DEPLOYMENTS);
        assertThat(byEnvironment.channelsFor(Samples.deployed("elsewhere/app", "production", T0))).containsExactly(OPS, RELEASES);
    }

    @Test
    void environmentsNarrowOnlyWhatARouteHearsOfDeployments() {
        assertThat(byEnvironment.channelsFor(failed("octo-org/app", "main", T0)))
                .containsExactly(OPS, GITHUB_ISSUES, GITHUB_STATUS);
    }
}

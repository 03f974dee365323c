package io.slipway.trigger.domain;

import io.slipway.common.glob.Glob;
import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.schemas.RunIds;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RequestAdmissionTest {

    static final String HEAD = "a".repeat(40);
    static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private final RequestAdmission admission = new RequestAdmission(new CloneUrlPolicy(CloneUrlPolicy.Settings.defaults()));
    private final WatchedRepository defaults = repository(RequestSettings.DEFAULTS);

    static WatchedRepository repository(RequestSettings settings) {
        return new WatchedRepository(Glob.of("org/*"), "s", RefFilter.of(List.of("main", "release/*"), List.of()),
                RefFilter.everything(), settings);
    }

    static RequestEvent event(RequestEvent.Action action, boolean fork, String... labels) {
        return new RequestEvent("github", "d-" + action, action, "org/app", "https://example.org/org/app.git",
                "https://example.org/org/app", 12, RequestEvent.Kind.PULL, "feature", "main",
                fork ? "stranger/app" : "org/app", fork, HEAD, "octocat", "Add a feature",
                "https://example.org/org/app/pull/12", List.of(labels), AT);
    }

    private static RequestStatus status(boolean approved, Push awaiting) {
        return new RequestStatus("org/app", 12, true, HEAD, 1, approved, awaiting, AT);
    }

    @Test
    void anOpenedRequestRunsItsHeadRefAtItsHeadShaCarryingTheRequest() {
        RequestAdmission.Decision decision = admission.admit(event(RequestEvent.Action.OPENED, false), defaults,
                Optional.empty(), AT);

        assertThat(decision).isInstanceOfSatisfying(RequestAdmission.Decision.Run.class, run -> {
            assertThat(run.push().ref()).isEqualTo("refs/pull/12/head");
            assertThat(run.push().sha()).isEqualTo(HEAD);
            assertThat(run.push().request().number()).isEqualTo(12);
            assertThat(run.push().request().mergeResult()).isFalse();
            assertThat(run.runId()).isEqualTo(RunIds.runId("org/app", HEAD, "refs/pull/12/head"));
            assertThat(run.newAttempt()).isFalse();
        });
    }

    @Test
    void theMergeSettingRunsTheMergeRefAtTheHeadSha() {
        WatchedRepository merge = repository(new RequestSettings(RequestSettings.Build.MERGE, true, true, "ok"));

        RequestAdmission.Decision decision = admission.admit(event(RequestEvent.Action.UPDATED, false), merge,
                Optional.empty(), AT);

        assertThat(decision).isInstanceOfSatisfying(RequestAdmission.Decision.Run.class, run -> {
            assertThat(run.push().ref()).isEqualTo("refs/pull/12/merge");
            assertThat(run.push().sha()).isEqualTo(HEAD);
            assertThat(run.push().request().mergeResult()).isTrue();
        });
    }

    @Test
    void aReopenedRequestAsksForANewAttempt() {
        assertThat(admission.admit(event(RequestEvent.Action.REOPENED, false), defaults, Optional.empty(), AT))
                .isInstanceOfSatisfying(RequestAdmission.Decision.Run.class, run -> assertThat(run.newAttempt()).isTrue());
    }

    @Test
    void aTargetBranchTheFiltersExcludeIsIgnoredWhateverTheAction() {
        RequestEvent toDevelop = new RequestEvent("github", "d", RequestEvent.Action.OPENED, "org/app",
                "https://example.org/org/app.git", null, 3, RequestEvent.Kind.PULL, "f", "develop", "org/app", false,
                HEAD, "a", "m", null, List.of(), AT);

        assertThat(admission.admit(toDevelop, defaults, Optional.empty(), AT))
                .isInstanceOfSatisfying(RequestAdmission.Decision.Ignore.class,
                        ignore -> assertThat(ignore.reason()).contains("#3").contains("target branch 'develop'"));
    }

    @Test
    void aForksRequestWaitsForApprovalByDefault() {
        assertThat(admission.admit(event(RequestEvent.Action.OPENED, true), defaults, Optional.empty(), AT))
                .isInstanceOfSatisfying(RequestAdmission.Decision.AwaitApproval.class, wait -> {
                    assertThat(wait.push().request().fromFork()).isTrue();
                    assertThat(wait.runId()).isEqualTo(RunIds.runId("org/app", HEAD, "refs/pull/12/head"));
                });
    }

    @Test
    void aForksRequestRunsOnceApprovedByStateOrByLabel() {
        assertThat(admission.admit(event(RequestEvent.Action.UPDATED, true), defaults,
                Optional.of(status(true, null)), AT)).isInstanceOf(RequestAdmission.Decision.Run.class);
        assertThat(admission.admit(event(RequestEvent.Action.OPENED, true, "bug", "slipway/approved"), defaults,
                Optional.empty(), AT)).isInstanceOf(RequestAdmission.Decision.Run.class);
    }

    @Test
    void forkApprovalNoneRunsForksAtOnceAndForksOffIgnoresThem() {
        WatchedRepository noApproval = repository(new RequestSettings(RequestSettings.Build.HEAD, true, false, "ok"));
        WatchedRepository noForks = repository(new RequestSettings(RequestSettings.Build.HEAD, false, true, "ok"));

        assertThat(admission.admit(event(RequestEvent.Action.OPENED, true), noApproval, Optional.empty(), AT))
                .isInstanceOf(RequestAdmission.Decision.Run.class);
        assertThat(admission.admit(event(RequestEvent.Action.OPENED, true), noForks, Optional.empty(), AT))
                .isInstanceOfSatisfying(RequestAdmission.Decision.Ignore.class,
                        ignore -> assertThat(ignore.reason()).contains("stranger/app").contains("forks do not run"));
        assertThat(admission.admit(event(RequestEvent.Action.OPENED, false), noForks, Optional.empty(), AT))
                .isInstanceOf(RequestAdmission.Decision.Run.class);
    }

    @Test
    void theApprovalLabelReleasesOnlyARunThatWaits() {
        Push waiting = ((RequestAdmission.Decision.AwaitApproval) admission.admit(event(RequestEvent.Action.OPENED, true),
                defaults, Optional.empty(), AT)).push();

        assertThat(admission.admit(event(RequestEvent.Action.LABELED, true, "slipway/approved"), defaults,
                Optional.of(status(false, waiting)), AT)).isInstanceOf(RequestAdmission.Decision.Approve.class);
        assertThat(admission.admit(event(RequestEvent.Action.LABELED, true, "slipway/approved"), defaults,
                Optional.of(status(false, null)), AT)).isInstanceOf(RequestAdmission.Decision.Ignore.class);
        assertThat(admission.admit(event(RequestEvent.Action.LABELED, true, "bug"), defaults,
                Optional.of(status(false, waiting)), AT)).isInstanceOf(RequestAdmission.Decision.Ignore.class);
    }

    @Test
    void closedEndsTheRequestAndOtherActionsStartNothing() {
        assertThat(admission.admit(event(RequestEvent.Action.CLOSED, true), defaults, Optional.empty(), AT))
                .isInstanceOf(RequestAdmission.Decision.Close.class);
        assertThat(admission.admit(event(RequestEvent.Action.OTHER, false), defaults, Optional.empty(), AT))
                .isInstanceOf(RequestAdmission.Decision.Ignore.class);
    }

    @Test
    void skipCiAndARefusedCloneUrlStartNothing() {
        RequestEvent skip = new RequestEvent("github", "d", RequestEvent.Action.OPENED, "org/app",
                "https://example.org/org/app.git", null, 4, RequestEvent.Kind.MERGE, "f", "main", "org/app", false,
                HEAD, "a", "docs [skip ci]", null, List.of(), AT);
        RequestEvent metadata = new RequestEvent("github", "d", RequestEvent.Action.OPENED, "org/app",
                "https://169.254.169.254/latest", null, 4, RequestEvent.Kind.MERGE, "f", "main", "org/app", false,
                HEAD, "a", "m", null, List.of(), AT);

        assertThat(admission.admit(skip, defaults, Optional.empty(), AT)).isInstanceOf(RequestAdmission.Decision.Ignore.class);
        assertThat(admission.admit(metadata, defaults, Optional.empty(), AT))
                .isInstanceOfSatisfying(RequestAdmission.Decision.Refuse.class,
                        refuse -> assertThat(refuse.reason()).startsWith("clone URL refused"));
    }

    @Test
    void settingsRefuseWhatTheyDoNotKnow() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestSettings.Build.of("tip"))
                .hasMessageContaining("'head' or 'merge'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestSettings.forkApproval("sometimes"))
                .hasMessageContaining("'required' or 'none'");
        assertThat(RequestSettings.forkApproval(null)).isTrue();
        assertThat(RequestSettings.Build.of(null)).isEqualTo(RequestSettings.Build.HEAD);
    }
}

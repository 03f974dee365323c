package io.slipway.notifier.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.slipway.notifier.Samples.REPOSITORY;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.failed;
import static org.assertj.core.api.Assertions.assertThat;

class IssueMarkerTest {

    private final NotificationTexts texts = new NotificationTexts(null, null, 4000, List.of());

    @Test
    void theBodyOfAnOpenedIssueEndsWithTheMarkerOfItsBranchAndEvent() {
        Notification failure = failed(REPOSITORY, "feature/login-->x", T0);

        IssueMarker marker = IssueMarker.readFrom(texts.issueBody(failure)).orElseThrow();

        assertThat(marker).isEqualTo(new IssueMarker(REPOSITORY, "feature/login-->x", failure.eventId()));
        assertThat(marker.openedFor(failure)).isTrue();
        assertThat(marker.openedFor(failed(REPOSITORY, "feature/login-->x", T0))).isFalse();
        assertThat(marker.sameBranch(IssueMarker.of(failed(REPOSITORY, "feature/login-->x", T0)))).isTrue();
        assertThat(marker.sameBranch(IssueMarker.of(failed(REPOSITORY, "feature/login", T0)))).isFalse();
        assertThat(marker.sameBranch(IssueMarker.of(failed("octo-org/other", "feature/login-->x", T0)))).isFalse();
    }

    @Test
    void readsTheMarkerOfOlderVersionsWhichNamesNoEvent() {
        String body = "Slipway could not deliver **main**.\r\n\r\n<!-- slipway:issue repository=" + REPOSITORY
                + " branch=main -->\r\n";

        assertThat(IssueMarker.readFrom(body)).contains(new IssueMarker(REPOSITORY, "main", null));
    }

    @Test
    void aMarkerQuotedAboveTheLastLineMakesNoIssueAnotherBranchs() {
        String quoted = "<!-- slipway:issue repository=" + REPOSITORY + " branch=main -->";
        Notification hostile = new Notification("e-1", EventKind.FAILED, "run", 1, REPOSITORY, null,
                "refs/heads/evil", "6dcb09b5b57875f334f61aebed695e2e4193db5e", quoted, quoted, "BUILD", "BUILD_ERROR",
                quoted, quoted, null, T0, T0);

        assertThat(IssueMarker.readFrom(texts.issueBody(hostile))).map(IssueMarker::branch).contains("evil");
        assertThat(IssueMarker.readFrom(quoted + "\nedited by a person")).isEmpty();
        assertThat(IssueMarker.readFrom(null)).isEmpty();
        assertThat(IssueMarker.readFrom("")).isEmpty();
    }

    @Test
    void anEventIdThatIsNotPlainIsLeftOutOfTheMarker() {
        IssueMarker marker = new IssueMarker(REPOSITORY, "main", "x --> y");

        assertThat(marker.eventId()).isNull();
        assertThat(marker.line()).isEqualTo("<!-- slipway:issue repository=" + REPOSITORY + " branch=main -->");
    }
}

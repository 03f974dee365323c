package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.RequestEvent;
import io.slipway.trigger.domain.RequestEvent.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.slipway.trigger.adapter.forge.TestRequests.CLOCK;
import static io.slipway.trigger.adapter.forge.TestRequests.fixture;
import static io.slipway.trigger.adapter.forge.TestRequests.put;
import static io.slipway.trigger.adapter.forge.TestRequests.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitLabForgeRequestTest {

    private static final String FIXTURE = "gitlab/webhooks/merge-request-hook.json";

    private final GitLabForge forge = new GitLabForge(CLOCK);

    @Test
    void readsTheOpenedMergeRequestOfTheDocumentedExample() {
        RequestEvent event = forge.request(fixture(FIXTURE), "key-1");

        assertThat(event).isEqualTo(new RequestEvent("gitlab", "key-1", Action.OPENED, "gitlabhq/gitlab-test",
                "http://example.com/gitlabhq/gitlab-test.git", "http://example.com/gitlabhq/gitlab-test", 1,
                RequestEvent.Kind.MERGE, "ms-viewport", "master", "gitlabhq/gitlab-test", false,
                "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "root", "fixed readme",
                "http://example.com/diaspora/merge_requests/1", List.of("API"), Instant.parse("2012-01-03T21:36:29Z")));
        assertThat(event.headRef()).isEqualTo("refs/merge-requests/1/head");
        assertThat(event.displayName()).isEqualTo("!1");
    }

    @ParameterizedTest
    @CsvSource({"open, OPENED", "reopen, REOPENED", "close, CLOSED", "merge, CLOSED", "approved, OTHER",
            "unapproved, OTHER", "approval, OTHER", "unapproval, OTHER"})
    void mapsTheDocumentedActions(String name, Action action) {
        ObjectNode body = put(fixture(FIXTURE), "object_attributes.action", name);

        assertThat(forge.request(body, null).action()).isEqualTo(action);
    }

    @Test
    void takesAnUpdateWithNewCodeForAnUpdate() {
        ObjectNode body = put(fixture(FIXTURE), "object_attributes.action", "update");
        put(body, "object_attributes.oldrev", "95790bf891e76fee5e1747ab589903a6a1f80f22");

        assertThat(forge.request(body, null).action()).isEqualTo(Action.UPDATED);
    }

    @Test
    void takesAnUpdateOfOnlyTheLabelsForALabelChange() {
        ObjectNode body = put(fixture(FIXTURE), "object_attributes.action", "update");

        RequestEvent event = forge.request(body, null);

        assertThat(event.action()).isEqualTo(Action.LABELED);
        assertThat(event.labels()).containsExactly("API");
    }

    @Test
    void takesAnUpdateWithoutNewCodeOrLabelsForNothingToRun() {
        ObjectNode body = put(fixture(FIXTURE), "object_attributes.action", "update");
        remove(body, "changes.labels");

        assertThat(forge.request(body, null).action()).isEqualTo(Action.OTHER);
    }

    @Test
    void tellsAForkByItsSourceProject() {
        ObjectNode body = put(fixture(FIXTURE), "object_attributes.source_project_id", 15);
        put(body, "object_attributes.source.path_with_namespace", "contributor/awesome_project");

        RequestEvent event = forge.request(body, null);

        assertThat(event.fromFork()).isTrue();
        assertThat(event.sourceRepository()).isEqualTo("contributor/awesome_project");
        assertThat(event.repository()).isEqualTo("gitlabhq/gitlab-test");
    }

    @Test
    void takesARequestWhoseSourceProjectIsGoneForAFork() {
        ObjectNode body = put(fixture(FIXTURE), "object_attributes.source_project_id", null);
        put(body, "object_attributes.source", null);

        RequestEvent event = forge.request(body, null);

        assertThat(event.fromFork()).isTrue();
        assertThat(event.sourceRepository()).isEqualTo(RequestFields.DELETED_FORK);
    }

    @Test
    void refusesATraversingSourceProjectOfAFork() {
        ObjectNode body = put(fixture(FIXTURE), "object_attributes.source_project_id", 15);
        put(body, "object_attributes.source.path_with_namespace", "contributor/../../victim");

        assertThatThrownBy(() -> forge.request(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'object_attributes.source.path_with_namespace' is not a repository");
    }

    @Test
    void namesAMissingTargetProject() {
        ObjectNode body = remove(fixture(FIXTURE), "object_attributes.target_project_id");

        assertThatThrownBy(() -> forge.request(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'object_attributes.target_project_id'");
    }

    @Test
    void fallsBackToTheTitleWithoutACommitMessageAndToTheAttributesLabels() {
        ObjectNode body = remove(fixture(FIXTURE), "object_attributes.last_commit.message");
        remove(body, "labels");
        put(body, "object_attributes.labels", List.of(Map.of("title", "Platform")));

        RequestEvent event = forge.request(body, null);

        assertThat(event.message()).isEqualTo("MS-Viewport");
        assertThat(event.labels()).containsExactly("Platform");
    }
}

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

import static io.slipway.trigger.adapter.forge.TestRequests.CLOCK;
import static io.slipway.trigger.adapter.forge.TestRequests.fixture;
import static io.slipway.trigger.adapter.forge.TestRequests.headers;
import static io.slipway.trigger.adapter.forge.TestRequests.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitHubForgeRequestTest {

    private static final String HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

    private final GitHubForge forge = new GitHubForge(CLOCK);

    @Test
    void classifiesPullRequestEventsAsRequests() {
        assertThat(forge.kind(headers("X-GitHub-Event", "pull_request"))).isEqualTo(Forge.EventKind.REQUEST);
        assertThat(forge.kind(headers("X-GitHub-Event", "pull_request_review"))).isEqualTo(Forge.EventKind.OTHER);
    }

    @Test
    void readsTheOpenedPullRequestOfTheDocumentedExample() {
        RequestEvent event = forge.request(fixture("github/webhooks/pull_request.opened.json"), "d-1");

        assertThat(event).isEqualTo(new RequestEvent("github", "d-1", Action.OPENED, "Codertocat/Hello-World",
                "https://github.com/Codertocat/Hello-World.git", "https://github.com/Codertocat/Hello-World", 2,
                RequestEvent.Kind.PULL, "changes", "master", "Codertocat/Hello-World", false, HEAD, "Codertocat",
                "Update the README with new information.", "https://github.com/Codertocat/Hello-World/pull/2",
                List.of("bug"), Instant.parse("2019-05-15T15:20:33Z")));
        assertThat(event.headRef()).isEqualTo("refs/pull/2/head");
    }

    @ParameterizedTest
    @CsvSource({"opened, OPENED", "synchronize, UPDATED", "reopened, REOPENED", "closed, CLOSED"})
    void readsTheActionOfEachDocumentedExample(String file, Action action) {
        RequestEvent event = forge.request(fixture("github/webhooks/pull_request." + file + ".json"), null);

        assertThat(event.action()).isEqualTo(action);
        assertThat(event.headSha()).isEqualTo(HEAD);
        assertThat(event.number()).isEqualTo(2);
    }

    @Test
    void closesAMergedPullRequestToo() {
        ObjectNode body = put(fixture("github/webhooks/pull_request.closed.json"), "pull_request.merged", true);

        assertThat(forge.request(body, null).action()).isEqualTo(Action.CLOSED);
    }

    @ParameterizedTest
    @CsvSource({"ready_for_review, OPENED", "labeled, LABELED", "unlabeled, LABELED", "edited, OTHER",
            "assigned, OTHER", "converted_to_draft, OTHER", "review_requested, OTHER"})
    void mapsTheOtherDocumentedActions(String name, Action action) {
        ObjectNode body = put(fixture("github/webhooks/pull_request.opened.json"), "action", name);

        assertThat(forge.request(body, null).action()).isEqualTo(action);
    }

    @Test
    void tellsAForkByItsHeadRepository() {
        ObjectNode body = put(fixture("github/webhooks/pull_request.synchronize.json"),
                "pull_request.head.repo.full_name", "octocat/Hello-World");

        RequestEvent event = forge.request(body, null);

        assertThat(event.fromFork()).isTrue();
        assertThat(event.sourceRepository()).isEqualTo("octocat/Hello-World");
        assertThat(event.repository()).isEqualTo("Codertocat/Hello-World");
    }

    @Test
    void takesARequestWhoseForkWasDeletedForAFork() {
        ObjectNode body = put(fixture("github/webhooks/pull_request.synchronize.json"), "pull_request.head.repo", null);

        RequestEvent event = forge.request(body, null);

        assertThat(event.fromFork()).isTrue();
        assertThat(event.sourceRepository()).isEqualTo(RequestFields.DELETED_FORK);
        assertThat(event.headSha()).isEqualTo(HEAD);
    }

    @Test
    void refusesATraversingHeadRepositoryNamingTheField() {
        ObjectNode body = put(fixture("github/webhooks/pull_request.opened.json"), "pull_request.head.repo.full_name",
                "octocat/../../victim");

        assertThatThrownBy(() -> forge.request(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'pull_request.head.repo.full_name' is not a repository full name");
    }

    @Test
    void readsTheLabelsAfterTheEvent() {
        ObjectNode body = put(fixture("github/webhooks/pull_request.opened.json"), "action", "labeled");
        put(body, "pull_request.labels", List.of(java.util.Map.of("name", "bug"),
                java.util.Map.of("name", "slipway/approved")));

        assertThat(forge.request(body, null).labels()).containsExactly("bug", "slipway/approved");
    }
}

package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import static io.slipway.trigger.adapter.forge.TestRequests.headers;
import static io.slipway.trigger.adapter.forge.TestRequests.put;
import static org.assertj.core.api.Assertions.assertThat;

class GiteaForgeRequestTest {

    private final GiteaForge forge = new GiteaForge(CLOCK);

    @Test
    void classifiesPullRequestEventsOfGiteaForgejoAndGogsAsRequests() {
        assertThat(forge.kind(headers("X-Gitea-Event", "pull_request"))).isEqualTo(Forge.EventKind.REQUEST);
        assertThat(forge.kind(headers("X-Forgejo-Event", "pull_request"))).isEqualTo(Forge.EventKind.REQUEST);
        assertThat(forge.kind(headers("X-Gogs-Event", "pull_request"))).isEqualTo(Forge.EventKind.REQUEST);
        assertThat(forge.kind(headers("X-Gitea-Event", "pull_request_approved"))).isEqualTo(Forge.EventKind.OTHER);
    }

    @Test
    void readsTheCapturedPullRequestFromAFork() {
        RequestEvent event = forge.request(fixture("gitea/webhooks/pull_request.json"), "d-1");

        assertThat(event).isEqualTo(new RequestEvent("gitea", "d-1", Action.OPENED, "example/example",
                "http://localhost:3000/example/example.git", "http://localhost:3000/example/example", 2,
                RequestEvent.Kind.PULL, "master", "master", "example2/example", true,
                "48e773f892a831faa47c0a160d1b7f0cd369ae2a", "example2", "update",
                "http://localhost:3000/example/example/pulls/2", List.of(), Instant.parse("2022-03-09T07:31:06Z")));
    }

    @Test
    void readsAPullRequestWithinTheRepositoryAsNoFork() {
        ObjectNode body = put(fixture("gitea/webhooks/pull_request.json"), "pull_request.head.repo.full_name",
                "example/example");

        RequestEvent event = forge.request(body, null);

        assertThat(event.fromFork()).isFalse();
        assertThat(event.sourceRepository()).isEqualTo("example/example");
    }

    @ParameterizedTest
    @CsvSource({"opened, OPENED", "synchronized, UPDATED", "reopened, REOPENED", "closed, CLOSED",
            "label_updated, LABELED", "label_cleared, LABELED", "edited, OTHER", "assigned, OTHER",
            "milestoned, OTHER", "reviewed, OTHER", "review_requested, OTHER"})
    void mapsGiteasActions(String name, Action action) {
        ObjectNode body = put(fixture("gitea/webhooks/pull_request.json"), "action", name);

        assertThat(forge.request(body, null).action()).isEqualTo(action);
    }

    @Test
    void readsTheLabelsAfterALabelUpdate() {
        ObjectNode body = put(fixture("gitea/webhooks/pull_request.json"), "action", "label_updated");
        put(body, "pull_request.labels", List.of(Map.of("id", 1, "name", "slipway/approved")));

        assertThat(forge.request(body, null).labels()).containsExactly("slipway/approved");
    }

    @Test
    void takesARequestWhoseForkWasDeletedForAFork() {
        ObjectNode body = put(fixture("gitea/webhooks/pull_request.json"), "pull_request.head.repo", null);

        RequestEvent event = forge.request(body, null);

        assertThat(event.fromFork()).isTrue();
        assertThat(event.sourceRepository()).isEqualTo(RequestFields.DELETED_FORK);
    }
}

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
import static io.slipway.trigger.adapter.forge.TestRequests.NOW;
import static io.slipway.trigger.adapter.forge.TestRequests.headers;
import static io.slipway.trigger.adapter.forge.TestRequests.json;
import static io.slipway.trigger.adapter.forge.TestRequests.put;
import static io.slipway.trigger.adapter.forge.TestRequests.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generic webhook's request form, as docs/generic-webhook.md documents it. */
class GenericForgeRequestTest {

    private static final String HEAD = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
    static final String BODY = """
            {"repository": "acme/shop", "cloneUrl": "https://git.acme.test/acme/shop.git",
             "webUrl": "https://git.acme.test/acme/shop",
             "request": {"number": 12, "kind": "pull", "action": "opened",
                         "sourceBranch": "fix/cart", "targetBranch": "main", "sourceRepository": "ada/shop",
                         "headSha": "%s", "author": "ada", "title": "Fix the cart total",
                         "url": "https://git.acme.test/acme/shop/pulls/12", "labels": ["bug"]},
             "message": "Fix the cart total\\n\\nThe discount was applied twice.",
             "timestamp": "2024-04-30T12:00:00+02:00"}
            """.formatted(HEAD);

    private final GenericForge forge = new GenericForge(CLOCK);

    @Test
    void classifiesTheRequestEvent() {
        assertThat(forge.kind(headers("X-Slipway-Event", "request"))).isEqualTo(Forge.EventKind.REQUEST);
    }

    @Test
    void readsTheDocumentedRequestForm() {
        RequestEvent event = forge.request(json(BODY), "d-1");

        assertThat(event).isEqualTo(new RequestEvent("generic", "d-1", Action.OPENED, "acme/shop",
                "https://git.acme.test/acme/shop.git", "https://git.acme.test/acme/shop", 12, RequestEvent.Kind.PULL,
                "fix/cart", "main", "ada/shop", true, HEAD, "ada",
                "Fix the cart total\n\nThe discount was applied twice.", "https://git.acme.test/acme/shop/pulls/12",
                List.of("bug"), Instant.parse("2024-04-30T10:00:00Z")));
    }

    @Test
    void defaultsToAPullRequestWithinTheRepositoryTitledByItsTitle() {
        RequestEvent event = forge.request(json("""
                {"repository": "shop", "cloneUrl": "file:///srv/git/shop.git",
                 "request": {"number": 3, "action": "updated", "sourceBranch": "topic", "targetBranch": "main",
                             "headSha": "%s", "title": "Topic"}}""".formatted(HEAD)), null);

        assertThat(event.kind()).isEqualTo(RequestEvent.Kind.PULL);
        assertThat(event.action()).isEqualTo(Action.UPDATED);
        assertThat(event.sourceRepository()).isEqualTo("shop");
        assertThat(event.fromFork()).isFalse();
        assertThat(event.message()).isEqualTo("Topic");
        assertThat(event.author()).isNull();
        assertThat(event.labels()).isEmpty();
        assertThat(event.timestamp()).isEqualTo(NOW);
    }

    @Test
    void readsAMergeRequestWhoseSourceIsTheRepositoryItself() {
        ObjectNode body = put((ObjectNode) json(BODY), "request.kind", "merge");
        put(body, "request.sourceRepository", "acme/shop");

        RequestEvent event = forge.request(body, null);

        assertThat(event.displayName()).isEqualTo("!12");
        assertThat(event.fromFork()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"opened, OPENED", "updated, UPDATED", "reopened, REOPENED", "closed, CLOSED", "labeled, LABELED",
            "other, OTHER"})
    void readsEachAction(String name, Action action) {
        assertThat(forge.request(put((ObjectNode) json(BODY), "request.action", name), null).action())
                .isEqualTo(action);
    }

    @Test
    void refusesAnUnknownOrMissingActionAndKindNamingTheField() {
        ObjectNode typo = put((ObjectNode) json(BODY), "request.action", "synchronize");
        assertThatThrownBy(() -> forge.request(typo, null)).isInstanceOf(InvalidPayload.class)
                .hasMessage("field 'request.action' is not one of [closed, labeled, opened, other, reopened, updated]");

        ObjectNode missing = remove((ObjectNode) json(BODY), "request.action");
        assertThatThrownBy(() -> forge.request(missing, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'request.action'");

        ObjectNode kind = put((ObjectNode) json(BODY), "request.kind", "patch");
        assertThatThrownBy(() -> forge.request(kind, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field 'request.kind' is not one of");
    }

    @Test
    void namesAMissingRequestObject() {
        ObjectNode body = remove((ObjectNode) json(BODY), "request");

        assertThatThrownBy(() -> forge.request(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageContaining("'request.");
    }
}

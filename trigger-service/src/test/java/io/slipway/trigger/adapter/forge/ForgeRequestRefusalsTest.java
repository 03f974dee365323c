package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.List;
import java.util.function.Supplier;

import static io.slipway.trigger.adapter.forge.TestRequests.CLOCK;
import static io.slipway.trigger.adapter.forge.TestRequests.fixture;
import static io.slipway.trigger.adapter.forge.TestRequests.json;
import static io.slipway.trigger.adapter.forge.TestRequests.put;
import static io.slipway.trigger.adapter.forge.TestRequests.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every forge's request event is checked at the door like a push: a missing field, a number that is no positive
 * int, a branch that is no valid ref, a sha that is no commit sha or a repository name that traverses is refused,
 * naming the field.
 */
class ForgeRequestRefusalsTest {

    /** A forge, a valid request body of it, and where that body keeps each checked field. */
    record Case(String name, Forge forge, Supplier<ObjectNode> body, String number, String sourceBranch,
                String targetBranch, String headSha, String repository) {

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("github", new GitHubForge(CLOCK), () -> fixture("github/webhooks/pull_request.opened.json"),
                        "number", "pull_request.head.ref", "pull_request.base.ref", "pull_request.head.sha",
                        "repository.full_name"),
                new Case("gitea", new GiteaForge(CLOCK), () -> fixture("gitea/webhooks/pull_request.json"),
                        "number", "pull_request.head.ref", "pull_request.base.ref", "pull_request.head.sha",
                        "repository.full_name"),
                new Case("gitlab", new GitLabForge(CLOCK), () -> fixture("gitlab/webhooks/merge-request-hook.json"),
                        "object_attributes.iid", "object_attributes.source_branch", "object_attributes.target_branch",
                        "object_attributes.last_commit.id", "project.path_with_namespace"),
                new Case("generic", new GenericForge(CLOCK), () -> (ObjectNode) json(GenericForgeRequestTest.BODY),
                        "request.number", "request.sourceBranch", "request.targetBranch", "request.headSha",
                        "repository"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void acceptsTheUntouchedBody(Case c) {
        assertThat(c.forge().request(c.body().get(), null).number()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void namesEachMissingField(Case c) {
        for (String path : List.of(c.number(), c.sourceBranch(), c.targetBranch(), c.headSha(), c.repository())) {
            ObjectNode body = remove(c.body().get(), path);

            assertThatThrownBy(() -> c.forge().request(body, null)).as(path).isInstanceOf(InvalidPayload.class)
                    .hasMessageContaining("'" + path + "'");
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusesNumbersThatAreNotPositiveInts(Case c) {
        List<Object> numbers = List.of(0, -1, 2_147_483_648L, new BigInteger("99999999999999999999999999999999"),
                1.5, 1e3, "12", true, List.of(12));
        for (Object number : numbers) {
            ObjectNode body = put(c.body().get(), c.number(), number);

            assertThatThrownBy(() -> c.forge().request(body, null)).as(String.valueOf(number))
                    .isInstanceOf(InvalidPayload.class)
                    .hasMessageStartingWith("field '" + c.number() + "' is not a request number");
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusesBranchNamesThatAreNoValidRef(Case c) {
        List<String> branches = List.of("../../../etc/passwd", "main/../../x", "main\u0000", "main\r\nX-Injected: 1",
                "fix\u202Egnp.exe", "x:y", "feature/.hidden", "topic.lock", "a b", "x".repeat(300));
        for (String path : List.of(c.sourceBranch(), c.targetBranch())) {
            for (String branch : branches) {
                ObjectNode body = put(c.body().get(), path, branch);

                assertThatThrownBy(() -> c.forge().request(body, null)).as(path + " = " + branch)
                        .isInstanceOf(InvalidPayload.class)
                        .hasMessageStartingWith("field '" + path + "' is not a valid ref");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusesAHeadThatIsNoCommitSha(Case c) {
        for (String sha : List.of("ec26c3e5", "z".repeat(40), "ec26c3e57ca3a959ca5aad62de7213c562f8c821\n", " ")) {
            ObjectNode body = put(c.body().get(), c.headSha(), sha);

            assertThatThrownBy(() -> c.forge().request(body, null)).as(sha).isInstanceOf(InvalidPayload.class)
                    .hasMessageContaining("'" + c.headSha() + "'");
        }
        ObjectNode zero = put(c.body().get(), c.headSha(), Push.ZERO_SHA);
        assertThatThrownBy(() -> c.forge().request(zero, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field '" + c.headSha() + "' is the all-zero sha");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusesATraversingRepositoryName(Case c) {
        ObjectNode body = put(c.body().get(), c.repository(), "demo/x/../../victim/repo");

        assertThatThrownBy(() -> c.forge().request(body, null)).isInstanceOf(InvalidPayload.class)
                .hasMessageStartingWith("field '" + c.repository() + "' is not a repository full name");
    }
}

package io.slipway.deployer.domain;

import io.slipway.common.policy.Names;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A smoke check path is judged by the rule the builder applies to the repository's deploy block. */
class SmokeCheckTest {

    @Test
    void acceptsTheAbsolutePathsTheBuilderAccepts() {
        for (String path : List.of("/", "/health", "/api/v1/status?verbose=1", "/caf%C3%A9")) {
            assertThat(SmokeCheck.pathProblem(path)).as(path).isEmpty();
            assertThat(Names.smokePathProblem(path)).as(path).isEmpty();
        }
    }

    @Test
    void refusesWhatTheBuilderRefusesNamingThePathAndTheReason() {
        for (String path : List.of("//evil.example/x", "http://evil.example/", "/@evil.example", "/\\evil", "health",
                "/a b", "/x#frag", "/zero\u200bwidth", "/" + "a".repeat(Names.MAX_SMOKE_PATH_LENGTH))) {
            assertThat(Names.smokePathProblem(path)).as(path).isPresent();
            assertThat(SmokeCheck.pathProblem(path)).as(path).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("smoke check path '").contains(Names.smokePathProblem(path).orElseThrow()));
        }
        assertThat(SmokeCheck.pathProblem(null)).hasValueSatisfying(p -> assertThat(p).contains("empty"));
        assertThat(SmokeCheck.pathProblem("/x\u001b[31m"))
                .hasValueSatisfying(p -> assertThat(p).doesNotContain("\u001b"));
    }
}

package io.slipway.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

    @Test
    void givesARedeliveredPushTheSameRunId() {
        assertThat(RunIds.runId("octo-org/hello", SHA, "refs/heads/main"))
                .isEqualTo(RunIds.runId("octo-org/hello", SHA, "refs/heads/main"));
    }

    @Test
    void isANameBasedUuidPinnedToItsEncoding() {
        String runId = RunIds.runId("octo-org/hello", SHA, "refs/heads/main");

        assertThat(UUID.fromString(runId).version()).isEqualTo(3);
        // Pinned (MD5 of the length-prefixed parts, recomputed independently): a new encoding would re-id every run.
        assertThat(runId).isEqualTo("130403a1-bf54-320c-b4c4-4003dd9d9f22");
    }

    @Test
    void ignoresTheLetterCaseOfTheSha() {
        assertThat(RunIds.runId("octo-org/hello", SHA.toUpperCase(), "refs/heads/main"))
                .isEqualTo(RunIds.runId("octo-org/hello", SHA, "refs/heads/main"));
    }

    @Test
    void distinguishesRepositoriesCommitsAndRefs() {
        String base = RunIds.runId("octo-org/hello", SHA, "refs/heads/main");

        assertThat(RunIds.runId("octo-org/hello2", SHA, "refs/heads/main")).isNotEqualTo(base);
        assertThat(RunIds.runId("octo-org/hello", SHA.replace('6', '7'), "refs/heads/main")).isNotEqualTo(base);
        assertThat(RunIds.runId("octo-org/hello", SHA, "refs/tags/v1.0.0")).isNotEqualTo(base);
    }

    @Test
    void cannotBeFooledByMovingCharactersBetweenParts() {
        assertThat(RunIds.runId("a", "bc", "d")).isNotEqualTo(RunIds.runId("ab", "c", "d"));
        assertThat(RunIds.runId("a", "b", "cd")).isNotEqualTo(RunIds.runId("a", "bc", "d"));
    }

    @Test
    void rejectsBlankParts() {
        assertThatThrownBy(() -> RunIds.runId("octo-org/hello", " ", "refs/heads/main"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha");
    }

    @Test
    void givesEveryEventANewRandomId() {
        String first = RunIds.newEventId();

        assertThat(UUID.fromString(first).version()).isEqualTo(4);
        assertThat(RunIds.newEventId()).isNotEqualTo(first);
    }
}

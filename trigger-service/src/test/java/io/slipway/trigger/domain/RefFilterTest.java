package io.slipway.trigger.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RefFilterTest {

    @Test
    void aNamePassesWhenAnIncludeMatchesAndNoExcludeDoes() {
        RefFilter branches = RefFilter.of(List.of("{main,develop}", "release/**"), List.of("release/old-*"));

        assertThat(branches.refusal("branch", "develop")).isEmpty();
        assertThat(branches.refusal("branch", "release/2.0/hotfix")).isEmpty();
        assertThat(branches.refusal("branch", "release/old-1")).hasValue("branch 'release/old-1' is excluded by 'release/old-*'");
        assertThat(branches.refusal("branch", "feature/x")).hasValue(
                "branch 'feature/x' matches none of [{main,develop}, release/**]");
    }

    @Test
    void everythingStillRefusesWhatIsNotARefName() {
        assertThat(RefFilter.everything().refusal("tag", "v1.0")).isEmpty();
        assertThat(RefFilter.everything().refusal("branch", "")).isPresent();
        assertThat(RefFilter.everything().refusal("branch", "a/../b")).isPresent();
    }
}

package io.slipway.common.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageOwnershipTest {

    private final ImageOwnership defaults = ImageOwnership.ownNamesOnly();
    private final ImageOwnership granted = new ImageOwnership(List.of(
            new ImageOwnership.Rule("demo/*", List.of("demo/app", "shared/")),
            new ImageOwnership.Rule("ops/**", List.of("ops"))));

    @Test
    void aRepositoryOwnsItsOwnNameLowerCased() {
        assertThat(defaults.owns("demo/acceptance-app", "demo/acceptance-app")).isTrue();
        assertThat(defaults.owns("Demo/Acceptance-App", "demo/acceptance-app")).isTrue();
        assertThat(ImageOwnership.ownName("Demo/Acceptance-App")).isEqualTo("demo/acceptance-app");
    }

    @Test
    void aGitLabSubgroupRepositoryOwnsItsFullPath() {
        assertThat(defaults.owns("group/sub/app", "group/sub/app")).isTrue();
        assertThat(defaults.owns("group/sub", "group/sub/app")).as("a parent group's repository").isFalse();
        assertThat(defaults.owns("group/sub/app", "group/sub")).isFalse();
    }

    @Test
    void aRepositoryDoesNotOwnAnotherRepositorysName() {
        assertThat(defaults.owns("demo/evil", "demo/acceptance-app")).isFalse();
        assertThat(defaults.owns("demo/evil", "demo/evil/../acceptance-app")).isFalse();
        assertThat(defaults.owns("demo/evil", "demo/evil/worker"))
                .as("below its own name could be a subgroup's repository").isFalse();
        assertThat(defaults.owns("demo/evil", "demo/evilx")).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"..", "demo/..", "demo/../evil", "./demo/evil", "demo//evil", "/demo/evil", "demo/evil/",
            "Demo/Evil", "demo/evil:latest", "demo/evil@sha256:00", "demo/ evil", "demo/evil\n", "-demo/evil"})
    void invalidNamesAreNobodysEvenWhenTheyMatchARepositoryLoosely(String image) {
        assertThat(defaults.owns("demo/evil", image)).isFalse();
        assertThat(granted.owns("demo/app", image)).isFalse();
        assertThat(ImageOwnership.isImageName(image)).isFalse();
    }

    @Test
    void aTraversalInTheRepositoryNameGrantsNothingOfTheVictim() {
        assertThat(defaults.owns("demo/x/../../victim/repo", "victim/repo")).isFalse();
        assertThat(ImageOwnership.isImageName(ImageOwnership.ownName("demo/x/../../victim/repo"))).isFalse();
    }

    @Test
    void anOperatorPrefixCoversWholeSegmentsOnly() {
        assertThat(granted.owns("demo/tools", "demo/app")).isTrue();
        assertThat(granted.owns("demo/tools", "demo/app/worker")).isTrue();
        assertThat(granted.owns("demo/tools", "demo/application")).isFalse();
        assertThat(granted.owns("demo/tools", "demo/app-x")).isFalse();
        assertThat(granted.owns("demo/tools", "shared/base")).isTrue();
        assertThat(granted.owns("demo/tools", "shared")).as("'shared/' written with a slash is the same prefix").isTrue();
        assertThat(granted.owns("demo/tools", "sharedx/base")).isFalse();
    }

    @Test
    void aGrantAppliesOnlyToRepositoriesItsGlobMatches() {
        assertThat(granted.owns("demo/sub/tools", "demo/app")).as("* stays within one segment").isFalse();
        assertThat(granted.owns("other/tools", "demo/app")).isFalse();
        assertThat(granted.owns("ops/a/b", "ops/monitor")).isTrue();
        assertThat(granted.owns("Demo/tools", "demo/app")).as("globs match case-sensitively").isFalse();
        assertThat(granted.owns("demo/tools", "demo/tools")).as("its own name stays its own").isTrue();
    }

    @Test
    void aRefusalNamesTheImageTheRepositoryAndWhatItMayUse() {
        assertThat(granted.refusal("demo/evil", "victim/app")).hasValueSatisfying(message -> assertThat(message)
                .contains("'victim/app'", "demo/evil", "'demo/evil'", "'demo/app'", "'shared'", "slipway.images.owners"));
        assertThat(defaults.refusal("demo/evil", "demo/evil")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Demo", "a/../b", "a//b", "team/*"})
    void aMalformedPrefixStopsTheConfiguration(String prefix) {
        List<String> prefixes = prefix.isEmpty() ? List.of() : List.of(prefix);
        assertThatThrownBy(() -> new ImageOwnership(List.of(new ImageOwnership.Rule("demo/*", prefixes))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("demo/*");
    }

    @Test
    void aMalformedRepositoryGlobStopsTheConfiguration() {
        assertThatThrownBy(() -> new ImageOwnership(List.of(new ImageOwnership.Rule("demo/{a", List.of("x")))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageOwnership(List.of(new ImageOwnership.Rule(" ", List.of("x")))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

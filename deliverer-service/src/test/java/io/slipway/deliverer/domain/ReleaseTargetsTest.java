package io.slipway.deliverer.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseTargetsTest {

    private static final ImageRef STAGED = new ImageRef("staging:5000", "staging/team/app");

    private final ReleaseTargets targets = new ReleaseTargets("staging/",
            new ReleaseTargets.Rule("**", "release:5000", null, "apps", List.of()),
            List.of(new ReleaseTargets.Rule("octo-org/*", "octo.example", null, null, null),
                    new ReleaseTargets.Rule("acme/**", null, "acme/exact", null,
                            List.of("mirror.example/copies", "backup.example"))));

    @Test
    void releasesTheImageNameWithoutTheStagingPrefixUnderTheReleasePrefix() {
        assertThat(targets.of("someone/app", STAGED)).containsExactly(new ImageRef("release:5000", "apps/team/app"));
    }

    @Test
    void theFirstMatchingRuleOverridesOnlyWhatItSets() {
        assertThat(targets.of("octo-org/app", STAGED)).containsExactly(new ImageRef("octo.example", "apps/team/app"));
        assertThat(targets.of("octo-org/deep/app", STAGED)).containsExactly(new ImageRef("release:5000", "apps/team/app"));
    }

    @Test
    void rulesUseTheOneGlobSyntax() {
        ReleaseTargets alternatives = new ReleaseTargets("staging/", new ReleaseTargets.Rule("**", "release:5000", null,
                null, List.of()), List.of(new ReleaseTargets.Rule("{team-a,team-b}/svc-?", "teams.example", null, null,
                null)));

        assertThat(alternatives.of("team-b/svc-1", STAGED)).containsExactly(new ImageRef("teams.example", "team/app"));
        assertThat(alternatives.of("team-c/svc-1", STAGED)).containsExactly(new ImageRef("release:5000", "team/app"));
        assertThat(targets.of("octo-org/../acme/x", STAGED)).as("not a repository name: no rule matches")
                .containsExactly(new ImageRef("release:5000", "apps/team/app"));
    }

    @Test
    void mirrorsFollowThePrimaryTarget() {
        assertThat(targets.of("acme/x/y", STAGED)).containsExactly(
                new ImageRef("release:5000", "acme/exact"),
                new ImageRef("mirror.example", "copies/team/app"),
                new ImageRef("backup.example", "team/app"));
    }

    @Test
    void aRepositoryOutsideTheStagingPrefixKeepsItsName() {
        assertThat(new ReleaseTargets("staging/", new ReleaseTargets.Rule("**", "r", null, null, null), List.of())
                .of("a/b", new ImageRef("s", "other/app"))).containsExactly(new ImageRef("r", "other/app"));
    }
}

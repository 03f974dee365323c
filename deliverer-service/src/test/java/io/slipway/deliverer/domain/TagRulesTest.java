package io.slipway.deliverer.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TagRulesTest {

    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private final TagRules rules = new TagRules("main");

    static Delivery delivery(String ref, String sha, Instant committedAt, Instant triggeredAt, int attempt) {
        return delivery(ref, sha, 1, committedAt, triggeredAt, attempt);
    }

    static Delivery delivery(String ref, String sha, long sequence, Instant committedAt, Instant triggeredAt,
                             int attempt) {
        return new Delivery("run-" + sha.substring(0, 6) + "-" + ref, attempt, "org/app", sha, ref, committedAt,
                triggeredAt, sequence, new ImageRef("staging.example:5000", "staging/app"), "sha256:" + "a".repeat(64), true);
    }

    private List<String> tags(String ref) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return rules.claims(delivery(ref, SHA, t, t, 1)).stream().map(TagClaim::tag).toList();
    }

    @Test
    void theDefaultBranchGetsShaBranchAndLatest() {
        assertThat(tags("refs/heads/main")).containsExactly(SHA, "main", "latest");
    }

    @Test
    void anotherBranchGetsShaAndItsSanitizedNameButNotLatest() {
        assertThat(tags("refs/heads/feature/login@v2")).containsExactly(SHA, "feature-login-v2");
        assertThat(new TagRules("develop").claims(delivery("refs/heads/develop", SHA, Instant.EPOCH, Instant.EPOCH, 1)))
                .extracting(TagClaim::tag).containsExactly(SHA, "develop", "latest");
    }

    @Test
    void aVersionTagGetsFullMinorAndMajorVersions() {
        assertThat(tags("refs/tags/v1.12.3")).containsExactly(SHA, "1.12.3", "1.12", "1");
        assertThat(tags("refs/tags/2.0.0")).containsExactly(SHA, "2.0.0", "2.0", "2");
    }

    @Test
    void aPreReleaseGetsOnlyItsFullVersionAndBuildMetadataIsDropped() {
        assertThat(tags("refs/tags/v1.2.3-rc.1")).containsExactly(SHA, "1.2.3-rc.1");
        assertThat(tags("refs/tags/v1.2.3+build.7")).containsExactly(SHA, "1.2.3", "1.2", "1");
    }

    @Test
    void otherRefsGetOnlyTheSha() {
        assertThat(tags("refs/tags/release-candidate")).containsExactly(SHA);
        assertThat(tags("refs/tags/v1.2")).containsExactly(SHA);
        assertThat(tags("refs/pull/42/head")).containsExactly(SHA);
    }

    @Test
    void branchNamesThatWouldReadAsAnotherKindOfTagArePrefixed() {
        assertThat(TagRules.branchTag("latest")).isEqualTo("branch-latest");
        assertThat(TagRules.branchTag("1.2")).isEqualTo("branch-1.2");
        assertThat(TagRules.branchTag(SHA)).isEqualTo("branch-" + SHA);
        assertThat(TagRules.branchTag("2024-cleanup")).isEqualTo("2024-cleanup");
    }

    @Test
    void branchTagsAreValidOciTags() {
        assertThat(TagRules.branchTag(".hidden")).isEqualTo("_.hidden");
        assertThat(TagRules.branchTag("ü/ö")).isEqualTo("_---");
        assertThat(TagRules.branchTag("x".repeat(300))).hasSize(128);
        for (String branch : List.of("a/b", "-x", "Feature_X.1", "+++")) {
            assertThat(TagRules.branchTag(branch)).matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
        }
    }

    @Test
    void versionTagsRankByVersionBeforeTime() {
        Instant early = Instant.parse("2026-01-01T00:00:00Z");
        Instant late = early.plusSeconds(3600);
        Precedence v2 = rules.claims(delivery("refs/tags/v1.4.0", SHA, early, early, 1)).get(3).precedence();
        Precedence v1 = rules.claims(delivery("refs/tags/v1.3.9", SHA, late, late, 1)).get(3).precedence();

        assertThat(v2).isGreaterThan(v1);
    }

    @Test
    void runsRankByAcceptedSequenceThenAttemptAndNeverByTheirDates() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Precedence base = Precedence.of(delivery("refs/heads/main", SHA, 10, t, t, 1));

        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 11, t.minusSeconds(86_400), t.minusSeconds(60), 1)))
                .as("accepted later, dated earlier").isGreaterThan(base);
        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 9, Instant.parse("2099-01-01T00:00:00Z"),
                t.plusSeconds(60), 1))).as("accepted earlier, dated 2099").isLessThan(base);
        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 10, t, t.plusSeconds(60), 2)))
                .as("a re-run of the same run").isGreaterThan(base);
        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 10, t.plusSeconds(99), t.plusSeconds(99), 1)))
                .as("dates do not break a tie of sequence and attempt").isEqualByComparingTo(base);
    }

    @Test
    void runsFromBeforeSequencesRankBelowAnySequenceAndKeepTheOldOrderAmongThemselves() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Precedence legacy = Precedence.of(delivery("refs/heads/main", SHA, 0, t, t, 1));

        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 1, t.minusSeconds(3600), t, 1))).isGreaterThan(legacy);
        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 0, t.plusSeconds(1), t, 1))).isGreaterThan(legacy);
        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 0, t, t.plusSeconds(1), 1))).isGreaterThan(legacy);
        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 0, t, t, 2))).isGreaterThan(legacy);
        assertThat(Precedence.of(delivery("refs/heads/main", SHA, 0, t.minusSeconds(1), t.plusSeconds(60), 3)))
                .isLessThan(legacy);
    }

    @Test
    void theVersionOfATagOutranksTheSequence() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Precedence v2 = rules.claims(delivery("refs/tags/v2.0.0", SHA, 1, t, t, 1)).get(1).precedence();
        Precedence v1 = rules.claims(delivery("refs/tags/v1.9.9", SHA, 2, t, t, 1)).get(1).precedence();

        assertThat(v2).isGreaterThan(v1);
    }
}

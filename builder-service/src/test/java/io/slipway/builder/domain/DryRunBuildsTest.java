package io.slipway.builder.domain;

import io.slipway.builder.domain.BuildOutcome.Built;
import io.slipway.builder.domain.BuildOutcome.StagedImage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dry-run backend announces, for any commit and without fetching it, the staged reference
 * {@code <registry>/<prefix>/<repository>:<sha>} with the digest {@code sha256:} + hex(SHA-256 of
 * {@code repository@sha}): the same for a redelivery or another ref of the commit, different for another commit.
 */
class DryRunBuildsTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    /** SHA-256 of {@code team/app@0123456789abcdef0123456789abcdef01234567}, computed outside Java. */
    private static final String DIGEST = "sha256:67a59a6cb1de7920f5bcccf248e5ca2eeda941104732c1de4863e3e6039d7f0f";

    private final DryRunBuilds builds = new DryRunBuilds("registry.example.org:5000", "staging");

    /** A request whose clone URL leads nowhere: a builder that tried to fetch it would fail. */
    private static BuildRequest request(String repository, String sha, String ref, long position) {
        return new BuildRequest("run-" + position, repository, "https://127.0.0.1:1/" + repository + ".git", null, sha,
                ref, Instant.parse("2026-03-01T10:00:00Z"), 0, position);
    }

    @Test
    void announcesTheStagedReferenceOfTheCommitWithTheDocumentedDigestAndNoSuites() {
        BuildOutcome outcome = builds.build(request("team/app", SHA, "refs/heads/main", 1));

        assertThat(outcome).isInstanceOfSatisfying(Built.class, built -> {
            assertThat(built.image()).isEqualTo(new StagedImage("registry.example.org:5000", "staging/team/app", SHA,
                    DIGEST));
            assertThat(built.durationMillis()).isZero();
            assertThat(built.cacheHit()).isFalse();
            assertThat(built.testSuites()).isEmpty();
            assertThat(built.kind()).isEqualTo(BuildOutcome.Kind.CONTAINER);
        });
    }

    @Test
    void theDigestDependsOnlyOnRepositoryAndSha() {
        String first = digest(builds.build(request("team/app", SHA, "refs/heads/main", 1)));
        String redelivered = digest(builds.build(request("team/app", SHA, "refs/heads/main", 9)));
        String otherRef = digest(new DryRunBuilds("elsewhere:5000", "other")
                .build(request("team/app", SHA, "refs/tags/v1.0.0", 2)));
        String otherSha = digest(builds.build(request("team/app", "1" + SHA.substring(1), "refs/heads/main", 3)));
        String otherRepository = digest(builds.build(request("team/api", SHA, "refs/heads/main", 4)));

        assertThat(first).isEqualTo(DIGEST).isEqualTo(redelivered).isEqualTo(otherRef);
        assertThat(otherSha)
                .isEqualTo("sha256:7b6ee54fdd1a3f8cd74e760f4f02b839e54cfefb4d8168c3e1d1e44ae72203cb");
        assertThat(otherRepository).matches("sha256:[0-9a-f]{64}").isNotEqualTo(DIGEST).isNotEqualTo(otherSha);
    }

    @Test
    void refusesNewBuildsOnceShutDownSoTheirCommitsAreHandedBack() {
        builds.shutdown(Duration.ofSeconds(1));

        assertThatThrownBy(() -> builds.build(request("team/app", SHA, "refs/heads/main", 1)))
                .isInstanceOf(BuildInterrupted.class);
    }

    private static String digest(BuildOutcome outcome) {
        assertThat(outcome).isInstanceOf(Built.class);
        return ((Built) outcome).image().digest();
    }
}

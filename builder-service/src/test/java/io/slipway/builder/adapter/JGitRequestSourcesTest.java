package io.slipway.builder.adapter;

import io.slipway.builder.ForgeRepository;
import io.slipway.builder.adapter.git.JGitSources;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.Sources;
import io.slipway.builder.domain.StageFailure;
import io.slipway.common.policy.CloneUrlPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Request refs and changed paths against a real bare repository that the {@code git} command writes as a forge does:
 * {@code refs/pull/N/head}, a merge ref, pushes with and without their previous sha, renames and deletions.
 */
class JGitRequestSourcesTest {

    @TempDir
    Path tmp;

    private ForgeRepository forge;
    private JGitSources sources;
    private String base;

    @BeforeEach
    void forge() {
        forge = ForgeRepository.create(tmp.resolve("forge"));
        base = forge.commit("base", Map.of("src/App.java", "class App {}\n", "docs/guide.md", "# guide\n",
                "README.md", "# app\n"));
        forge.push();
        sources = new JGitSources(tmp.resolve("mirrors"), new CloneUrlPolicy(new CloneUrlPolicy.Settings(
                Set.of("file"), Set.of(), true, false, false)), InetAddress::getAllByName, null, Duration.ofSeconds(30),
                Duration.ofMinutes(1));
    }

    private Sources.Tree fetchRequest(String ref, String head, boolean anonymous) {
        return sources.fetch(new Sources.Fetch("org/app", forge.cloneUrl(), head, ref, null, "main", anonymous));
    }

    private Sources.Tree fetchPush(String sha, String before) {
        return sources.fetch(new Sources.Fetch("org/app", forge.cloneUrl(), sha, "refs/heads/main", before, null, false));
    }

    /** Every changed path, in walk order. */
    private static List<String> changed(Sources.Tree tree) {
        List<String> paths = new ArrayList<>();
        Sources.ChangedPaths result = tree.changedPaths(path -> {
            paths.add(path);
            return false;
        });
        assertThat(result.count()).isEqualTo(paths.size());
        assertThat(result.firstWanted()).isNull();
        return paths;
    }

    /** A request branch off main with one change, then main moving on by another; returns the request's head. */
    private String requestWithMainMovedOn() {
        forge.checkout("feature", base);
        String head = forge.commit("feature", Map.of("src/Feature.java", "class Feature {}\n"));
        forge.writeRef("refs/pull/7/head", head);
        forge.checkout("main", null);
        forge.commit("main moves on", Map.of("docs/guide.md", "# guide v2\n"));
        forge.push();
        return head;
    }

    @Test
    void buildsTheHeadOfAPullRequestRefWithTheChangesSinceTheMergeBase() {
        String head = requestWithMainMovedOn();

        try (Sources.Tree tree = fetchRequest("refs/pull/7/head", head, false)) {
            assertThat(tree.commit()).isEqualTo(head);
            assertThat(new String(tree.read("src/Feature.java"))).isEqualTo("class Feature {}\n");
            assertThat(changed(tree)).as("main's own change since the branch point is not the request's")
                    .containsExactly("src/Feature.java");
            assertThat(tree.changedPaths(path -> true).comparedWith()).contains(base.substring(0, 7))
                    .contains("merge base with main");
        }
    }

    @Test
    void buildsTheMergeRefsTipAfterCheckingThatItMergesTheHead() {
        String head = requestWithMainMovedOn();
        String merge = forge.writeMergeRef("refs/pull/7/merge", "main", head);

        try (Sources.Tree tree = fetchRequest("refs/pull/7/merge", head, false)) {
            assertThat(tree.commit()).isEqualTo(merge);
            assertThat(new String(tree.read("docs/guide.md"))).as("the target's side of the merge").isEqualTo("# guide v2\n");
            assertThat(tree.size("src/Feature.java")).isPresent();
            assertThat(changed(tree)).containsExactly("src/Feature.java");
        }
    }

    @Test
    void aMergeRefThatDoesNotMergeTheHeadIsUnavailableAndMayBeRetried() {
        String head = requestWithMainMovedOn();
        forge.writeMergeRef("refs/pull/7/merge", "main", head);
        forge.checkout("feature", null);
        String newer = forge.commit("newer head", Map.of("src/Newer.java", "x\n"));

        assertThatThrownBy(() -> fetchRequest("refs/pull/7/merge", newer, false))
                .isInstanceOfSatisfying(StageFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SOURCE_UNAVAILABLE);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("refs/pull/7/merge", "does not merge the run's head " + newer);
                });
    }

    @Test
    void aHeadRefPointingElsewhereOrMissingIsUnavailable() {
        String head = requestWithMainMovedOn();
        forge.writeRef("refs/pull/7/head", base);

        assertThatThrownBy(() -> fetchRequest("refs/pull/7/head", head, false))
                .isInstanceOfSatisfying(StageFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SOURCE_UNAVAILABLE);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("refs/pull/7/head", "points to " + base, "not to the run's " + head);
                });
        assertThatThrownBy(() -> fetchRequest("refs/merge-requests/8/head", head, false))
                .isInstanceOfSatisfying(StageFailure.class, e -> assertThat(e.getMessage())
                        .contains("has no refs/merge-requests/8/head"));
        assertThatThrownBy(() -> fetchRequest("refs/pull/7/merge", head, false))
                .isInstanceOfSatisfying(StageFailure.class, e -> assertThat(e.getMessage())
                        .contains("has no refs/pull/7/merge", "conflicts"));
    }

    @Test
    void aRequestRefThatIsNotOneIsRefusedBeforeFetching() {
        for (String ref : List.of("refs/pull/7/head:refs/heads/main", "refs/pull/0/head", "refs/pull/7/*",
                "refs/merge-requests/x/merge", "refs/pull/99999999999/head")) {
            assertThatThrownBy(() -> fetchRequest(ref, base, false)).as(ref)
                    .isInstanceOfSatisfying(StageFailure.class, e -> assertThat(e.getMessage())
                            .contains("is not a request ref"));
        }
    }

    @Test
    void aGitLabMergeRequestRefIsBuiltIntoAMirrorOfItsOwnWhenAnonymous() throws IOException {
        String head = requestWithMainMovedOn();
        forge.writeRef("refs/merge-requests/3/head", head);

        fetchRequest("refs/merge-requests/3/head", head, true).close();
        fetchPush(base, null).close();

        try (Stream<Path> mirrors = Files.list(tmp.resolve("mirrors"))) {
            assertThat(mirrors.map(p -> p.getFileName().toString()))
                    .hasSize(2).anyMatch(name -> name.endsWith("-anonymous.git"));
        }
    }

    @Test
    void aPushChangesThePathsSinceItsPreviousShaWithRenamesAndDeletions() {
        String moved = forge.rename("docs/guide.md", "manual/guide.md");
        String deleted = forge.delete("README.md");
        forge.push();

        try (Sources.Tree tree = fetchPush(deleted, base)) {
            assertThat(changed(tree)).containsExactlyInAnyOrder("docs/guide.md", "manual/guide.md", "README.md");
            Sources.ChangedPaths wanted = tree.changedPaths(path -> path.startsWith("manual/"));
            assertThat(wanted.firstWanted()).isEqualTo("manual/guide.md");
        }
        try (Sources.Tree tree = fetchPush(moved, null)) {
            assertThat(changed(tree)).as("no previous sha: the commit's own change")
                    .containsExactlyInAnyOrder("docs/guide.md", "manual/guide.md");
        }
    }

    @Test
    void aPreviousShaTheServerDoesNotHaveFallsBackToTheCommitsOwnChange() {
        String next = forge.commit("next", Map.of("src/App.java", "class App { }\n"));
        forge.push();

        try (Sources.Tree tree = fetchPush(next, "2".repeat(40))) {
            assertThat(changed(tree)).containsExactly("src/App.java");
            assertThat(tree.changedPaths(path -> false).comparedWith()).contains("the commit itself");
        }
        try (Sources.Tree tree = fetchPush(base, "0".repeat(40))) {
            assertThat(changed(tree)).as("a new branch's root commit: all its paths")
                    .containsExactlyInAnyOrder("README.md", "docs/guide.md", "src/App.java");
        }
    }
}

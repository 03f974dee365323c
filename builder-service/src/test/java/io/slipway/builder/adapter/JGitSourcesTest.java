package io.slipway.builder.adapter;

import io.slipway.builder.TestRepository;
import io.slipway.builder.adapter.git.JGitSources;
import io.slipway.builder.adapter.git.Mirrors;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.Sources;
import io.slipway.builder.domain.StageFailure;
import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.common.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JGit mirrors against real repositories: exact commits, incremental fetches, the clone URL policy. */
class JGitSourcesTest {

    @TempDir
    Path tmp;

    private JGitSources sources(boolean allowFile) {
        CloneUrlPolicy policy = new CloneUrlPolicy(new CloneUrlPolicy.Settings(Set.of("https", "file"), Set.of(),
                allowFile, false, false));
        return new JGitSources(tmp.resolve("mirrors"), policy, InetAddress::getAllByName, null, Duration.ofSeconds(30),
                Duration.ofMinutes(1));
    }

    @Test
    void exportsExactlyTheRequestedCommitWithModesAndLinks() throws IOException {
        try (TestRepository repo = TestRepository.create(tmp.resolve("origin"))) {
            String first = repo.commit("first", Map.of("app.txt", "v1\n", "bin/run.sh", "#!/bin/sh\n"));
            repo.commitSymlink("current", "app.txt");
            repo.commit("second", Map.of("app.txt", "v2\n"));

            try (Sources.Tree tree = sources(true).fetch("org/app", repo.cloneUrl(), first)) {
                Path workspace = Files.createDirectories(tmp.resolve("ws"));
                tree.export(workspace);

                assertThat(workspace.resolve("app.txt")).hasContent("v1");
                assertThat(Files.isExecutable(workspace.resolve("bin/run.sh"))).isTrue();
                assertThat(workspace.resolve("current")).doesNotExist();
                assertThat(workspace.resolve(".git")).doesNotExist();
                assertThat(tree.size("bin/run.sh")).hasValue(10);
                assertThat(tree.size("bin")).as("a directory is no file").isEmpty();
            }
        }
    }

    @Test
    void aCommitTheMirrorHasNeedsNoServerAndANewOneIsFetched() throws IOException {
        JGitSources sources = sources(true);
        String url = tmp.resolve("origin").toUri().toString();
        try (TestRepository repo = TestRepository.create(tmp.resolve("origin"))) {
            String first = repo.commit("first", Map.of("a.txt", "a\n"));
            sources.fetch("org/app", url, first).close();
            String second = repo.commit("second", Map.of("b.txt", "b\n"));

            try (Sources.Tree tree = sources.fetch("org/app", url, second)) {
                assertThat(new String(tree.read("b.txt"))).isEqualTo("b\n");
            }
        }
        try (Stream<Path> files = Files.walk(tmp.resolve("origin"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (Sources.Tree tree = sources.fetch("org/app", url, firstShaOf(sources))) {
            assertThat(tree.size("a.txt")).as("served from the mirror with the server gone").hasValue(2);
        }
        try (Stream<Path> mirrors = Files.list(tmp.resolve("mirrors"))) {
            assertThat(mirrors).hasSize(1);
        }
    }

    private String firstShaOf(JGitSources sources) throws IOException {
        try (Stream<Path> mirrors = Files.list(tmp.resolve("mirrors"))) {
            Path mirror = mirrors.findFirst().orElseThrow();
            try (var repository = new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(mirror.toFile()).build();
                 var walk = new org.eclipse.jgit.revwalk.RevWalk(repository)) {
                var head = walk.parseCommit(repository.resolve("refs/heads/main"));
                return head.getParent(0).name();
            }
        }
    }

    @Test
    void aCommitTheServerDoesNotHaveIsUnavailable() {
        try (TestRepository repo = TestRepository.create(tmp.resolve("origin"))) {
            repo.commit("first", Map.of("a.txt", "a\n"));

            assertThatThrownBy(() -> sources(true).fetch("org/app", repo.cloneUrl(), "1".repeat(40)))
                    .isInstanceOfSatisfying(StageFailure.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.SOURCE_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("is not in");
                    });
        }
    }

    @Test
    void refusesWhatThePolicyRefusesBeforeConnecting() {
        assertThatThrownBy(() -> sources(false).fetch("org/app", tmp.toUri().toString(), "1".repeat(40)))
                .isInstanceOfSatisfying(StageFailure.class, e -> assertThat(e.getMessage()).contains("file://"));
        assertThatThrownBy(() -> sources(true).fetch("org/app", "https://localhost./org/app.git", "1".repeat(40)))
                .isInstanceOfSatisfying(StageFailure.class, e -> assertThat(e.getMessage()).contains("loopback"));
        assertThatThrownBy(() -> sources(true).fetch("org/app", "ext::sh -c id", "1".repeat(40)))
                .isInstanceOf(StageFailure.class);
    }
    @Test
    void aMirrorIsPrunedOnlyOnceItsTreeIsClosedAndIsFetchedAgainWhenNeeded() throws IOException {
        TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));
        Mirrors mirrors = new Mirrors(tmp.resolve("mirrors"), new Mirrors.Limits(Duration.ofDays(30), 0,
                Duration.ofDays(365)), clock);
        JGitSources sources = new JGitSources(mirrors, new CloneUrlPolicy(new CloneUrlPolicy.Settings(Set.of("file"),
                Set.of(), true, false, false)), InetAddress::getAllByName, null, Duration.ofSeconds(30),
                Duration.ofMinutes(1));
        try (TestRepository repo = TestRepository.create(tmp.resolve("origin"))) {
            String sha = repo.commit("first", Map.of("a.txt", "a\n"));
            try (Sources.Tree tree = sources.fetch("org/app", repo.cloneUrl(), sha)) {
                clock.advance(Duration.ofDays(31));

                assertThat(mirrors.prune()).as("in use by an open tree").isEmpty();
                assertThat(tree.size("a.txt")).hasValue(2);
            }
            clock.advance(Duration.ofDays(31));
            assertThat(mirrors.prune()).hasSize(1);

            try (Sources.Tree again = sources.fetch("org/app", repo.cloneUrl(), sha)) {
                assertThat(new String(again.read("a.txt"))).isEqualTo("a\n");
            }
        }
    }
}

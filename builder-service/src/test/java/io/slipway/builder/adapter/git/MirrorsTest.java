package io.slipway.builder.adapter.git;

import io.slipway.common.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Mirrors on disk stay within their age and size limits, and a mirror a build uses is never pruned. */
class MirrorsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path workdir;

    private Path root;

    private final TestClock clock = new TestClock(NOW);

    @org.junit.jupiter.api.BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(workdir.resolve("mirrors"));
    }

    private Mirrors mirrors(Duration maxAge, long maxBytes) {
        return new Mirrors(root, new Mirrors.Limits(maxAge, maxBytes, HOUR), clock);
    }

    /** A mirror of {@code bytes} bytes, last used {@code ago} before now. */
    private void mirror(String name, int bytes, Duration ago) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name).resolve("objects"));
        Files.write(dir.resolve("pack"), new byte[bytes]);
        Files.setLastModifiedTime(root.resolve(name), FileTime.from(NOW.minus(ago)));
    }

    private String[] left() throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> d.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void prunesMirrorsUnusedForLongerThanTheMaximumAge() throws IOException {
        mirror("old.git", 10, Duration.ofDays(31));
        mirror("recent.git", 10, Duration.ofDays(29));

        assertThat(mirrors(Duration.ofDays(30), 0).prune()).containsExactly("old.git");

        assertThat(left()).containsExactly("recent.git");
    }

    @Test
    void prunesTheLeastRecentlyUsedUntilAllFitTheMaximumSize() throws IOException {
        mirror("a.git", 400, Duration.ofHours(3));
        mirror("b.git", 400, Duration.ofHours(2));
        mirror("c.git", 400, Duration.ofHours(1));

        assertThat(mirrors(Duration.ofDays(30), 900).prune()).containsExactly("a.git");

        assertThat(left()).containsExactly("b.git", "c.git");
    }

    @Test
    void neverPrunesAMirrorInUseHoweverOldOrLarge() throws IOException {
        mirror("busy.git", 1000, Duration.ofDays(90));
        mirror("idle.git", 10, Duration.ofHours(1));
        Mirrors mirrors = mirrors(Duration.ofDays(30), 100);
        Mirrors.Use busy = mirrors.acquire("busy.git");
        Files.setLastModifiedTime(busy.dir(), FileTime.from(NOW.minus(Duration.ofDays(90))));

        assertThat(mirrors.prune()).containsExactly("idle.git");
        assertThat(left()).containsExactly("busy.git");

        busy.close();
        assertThat(left()).as("released, it is over the size limit, and the release pruned it").isEmpty();
    }

    @Test
    void usingAMirrorMakesItRecent() throws IOException {
        mirror("a.git", 10, Duration.ofDays(40));
        Mirrors mirrors = mirrors(Duration.ofDays(30), 0);

        mirrors.acquire("a.git").close();

        assertThat(left()).containsExactly("a.git");
        assertThat(Files.getLastModifiedTime(root.resolve("a.git")).toInstant()).isEqualTo(NOW);
    }

    @Test
    void holdsALockOnlyWhileAMirrorIsUsed() {
        Mirrors mirrors = mirrors(Duration.ofDays(30), 0);
        Mirrors.Use first = mirrors.acquire("a.git");
        Mirrors.Use second = mirrors.acquire("a.git");

        assertThat(first.lock()).isSameAs(second.lock());
        assertThat(mirrors.inUse()).isEqualTo(1);
        first.close();
        first.close();
        assertThat(mirrors.inUse()).as("closing twice releases once").isEqualTo(1);
        second.close();
        assertThat(mirrors.inUse()).isZero();
        for (int i = 0; i < 1000; i++) {
            mirrors.acquire("repo-" + i + ".git").close();
        }
        assertThat(mirrors.inUse()).isZero();
    }

    @Test
    void releasingAMirrorPrunesAtMostOncePerInterval() throws IOException {
        Mirrors mirrors = mirrors(Duration.ofDays(30), 0);
        mirrors.acquire("used.git").close();
        mirror("first.git", 10, Duration.ofDays(31));

        mirrors.acquire("used.git").close();
        assertThat(left()).as("pruned on the first release only").contains("first.git");

        clock.advance(HOUR);
        mirrors.acquire("used.git").close();
        assertThat(left()).doesNotContain("first.git");
    }

    @Test
    void finishesDeletingAMirrorWhosePruningWasInterrupted() throws IOException {
        Path leftover = Files.createDirectories(workdir.resolve("mirrors.pruning").resolve("1234-a.git/objects"));
        mirror("recent.git", 10, Duration.ZERO);

        mirrors(Duration.ofDays(30), 0).prune();

        assertThat(leftover.getParent()).doesNotExist();
        assertThat(left()).containsExactly("recent.git");
    }

    @Test
    void aMirrorWhoseNameLooksLikeAPruningLeftoverIsKeptWhileInUseAndTheTrashLiesOutsideTheRoot() throws IOException {
        String name = JGitSources.mirrorName(".pruning-org/app", "https://git.example.org/.pruning-org/app.git");
        assertThat(name).startsWith(".pruning-");
        Mirrors mirrors = mirrors(Duration.ofDays(30), 0);
        mirror("old.git", 10, Duration.ofDays(31));

        try (Mirrors.Use use = mirrors.acquire(name)) {
            mirror(name, 10, Duration.ZERO);

            assertThat(mirrors.prune()).containsExactly("old.git");
            assertThat(left()).containsExactly(name);
        }
        try (Stream<Path> trash = Files.list(workdir.resolve("mirrors.pruning"))) {
            assertThat(trash).as("the pruned mirror was deleted from the trash").isEmpty();
        }
    }
}

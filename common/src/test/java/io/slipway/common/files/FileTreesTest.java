package io.slipway.common.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileTreesTest {

    @TempDir
    Path tmp;

    @Test
    void deletesATreeButNothingItsLinksPointTo() throws IOException {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep");
        Path keptDir = Files.createDirectories(tmp.resolve("kept"));
        Files.writeString(keptDir.resolve("file"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file"), "x");
        Files.createSymbolicLink(tmp.resolve("tree/link-to-file"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/a/link-to-dir"), keptDir);

        FileTrees.delete(tmp.resolve("tree"));

        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("keep");
        assertThat(keptDir.resolve("file")).hasContent("keep");
    }

    @Test
    void aTreeThatIsAlreadyGoneIsFine() throws IOException {
        FileTrees.delete(tmp.resolve("never-there"));

        assertThat(tmp.resolve("never-there")).doesNotExist();
    }

    /** Walks like {@link Files#walk}, but the first {@code vanishing} walks meet an entry that vanished under them. */
    private static FileTrees.Walker vanishing(Path entry, int vanishing) {
        AtomicInteger walks = new AtomicInteger();
        return root -> {
            if (walks.incrementAndGet() > vanishing) {
                return Files.walk(root);
            }
            return Files.walk(root).peek(path -> {
                if (path.equals(entry)) {
                    throw new UncheckedIOException(new NoSuchFileException(entry.toString()));
                }
            });
        };
    }

    @Test
    void anEntryVanishingMidWalkDoesNotLeaveTheTreeHalfDeleted() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("tree/a"));
        Files.writeString(tree.resolve("file"), "x");

        FileTrees.delete(tmp.resolve("tree"), vanishing(tree.resolve("file"), 1));

        assertThat(tmp.resolve("tree")).doesNotExist();
    }

    @Test
    void aTreeThatKeepsChangingIsAnErrorNotASilentPartialDelete() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("tree/a"));
        Files.writeString(tree.resolve("file"), "x");

        assertThatThrownBy(() -> FileTrees.delete(tmp.resolve("tree"), vanishing(tree.resolve("file"), 2)))
                .isInstanceOf(NoSuchFileException.class);
        assertThat(tmp.resolve("tree")).exists();
    }
}

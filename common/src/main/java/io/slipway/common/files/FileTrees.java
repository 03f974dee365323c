package io.slipway.common.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whole directory trees on disk (workspaces, mirrors, reports): deleting one, children before their directory and
 * without following symbolic links, so a link in a tree a repository wrote never deletes anything outside it.
 */
public final class FileTrees {

    /** Lists a tree, as {@link Files#walk} does; replaced in tests to make an entry vanish mid-walk. */
    interface Walker {
        Stream<Path> walk(Path root) throws IOException;
    }

    private FileTrees() {
    }

    /**
     * Deletes {@code root} and everything under it; a tree that is already gone is fine. When the tree changes while
     * it is being deleted (an entry vanishes, or appears in a directory about to go), it is walked and deleted once
     * more; a second such change is an error, never a tree left half-deleted in silence.
     *
     * @throws IOException when an entry cannot be listed or deleted, or the tree kept changing
     */
    public static void delete(Path root) throws IOException {
        delete(root, Files::walk);
    }

    static void delete(Path root, Walker walker) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteOnce(root, walker);
                return;
            } catch (NoSuchFileException | DirectoryNotEmptyException e) {
                if (Files.notExists(root, LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    private static void deleteOnce(Path root, Walker walker) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = walker.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }
}

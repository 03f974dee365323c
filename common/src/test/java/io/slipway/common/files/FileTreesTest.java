package io.slipway.common.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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
}

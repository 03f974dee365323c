package io.slipway.schemas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the shared test fixtures ({@code shared/fixtures} beside the repository root) from the working directory. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The {@code shared/fixtures} directory of the nearest ancestor of {@code user.dir} that has one. */
    public static Path sharedFixtures() {
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No shared/fixtures directory in " + start + " or any of its parents; "
                + "the fixtures live in shared/fixtures beside the repository root");
    }

    /** A file under {@code shared/fixtures}, which must exist. */
    public static Path file(String relativePath) {
        Path file = sharedFixtures().resolve(relativePath);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Missing fixture " + file);
        }
        return file;
    }
}

package io.slipway.devstack.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared reference fixtures ({@code shared/fixtures}) by walking up from the working directory. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("No shared/fixtures directory above " + System.getProperty("user.dir"));
    }
}

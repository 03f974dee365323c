package io.slipway.trigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures ({@code shared/fixtures} beside the repository), found by walking up from the working directory. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The fixture at {@code relative} under {@code shared/fixtures}, e.g. {@code github/webhooks/ping.payload.json}. */
    public static Path path(String relative) {
        Path root = root();
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no fixture " + relative + " under " + root);
        }
        return file;
    }

    /** The exact bytes of a fixture file, as a forge would have sent them. */
    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/fixtures above " + System.getProperty("user.dir"));
    }
}

package io.slipway.tester.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * container-structure-test's own suite files, byte-exact copies kept in {@code shared/fixtures/container-structure-test}
 * beside the repository (see its README for their origin and upstream pass/fail expectations).
 */
public final class CstFixtures {

    private CstFixtures() {
    }

    /** The text of {@code relative}, e.g. {@code upstream-tests/ubuntu_22_04_test.yaml}. */
    public static String read(String relative) {
        Path start = Path.of("").toAbsolutePath();
        Path file = Stream.iterate(start, p -> p != null, Path::getParent)
                .map(p -> p.resolve("shared/fixtures/container-structure-test").resolve(relative))
                .filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("no container-structure-test fixture " + relative
                        + " in shared/fixtures above " + start));
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.slipway.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reference fixtures (real formats from public sources) read from the test classpath: a module keeps the files its
 * tests read in {@code src/test/resources/fixtures/}, with a {@code SOURCES.md} saying where each came from, so the
 * tests need nothing outside the repository.
 */
public final class Fixtures {

    private static final String ROOT = "fixtures/";

    private Fixtures() {
    }

    /** The exact bytes of {@code fixtures/<relative>}, e.g. {@code github/webhooks/ping.payload.json}. */
    public static byte[] bytes(String relative) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(ROOT + relative)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + ROOT + relative + " on the test classpath; a module "
                        + "keeps the fixtures its tests read in src/test/resources/" + ROOT);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + ROOT + relative, e);
        }
    }

    /** The text (UTF-8) of {@code fixtures/<relative>}. */
    public static String text(String relative) {
        return new String(bytes(relative), StandardCharsets.UTF_8);
    }
}

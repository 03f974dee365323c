package io.slipway.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Identifiers of runs and events. A run id is a name-based UUID of repository, commit sha and ref, so a redelivered
 * webhook for the same push maps to the same run; an event id is random and unique per emitted event.
 */
public final class RunIds {

    /** Versioned namespace of the encoding; changing the encoding would change every run id, so it never changes. */
    private static final String NAMESPACE = "io.slipway.run/v1";

    private RunIds() {
    }

    /**
     * The deterministic run id of a commit on a ref: a type-3 UUID over the length-prefixed UTF-8 bytes of the
     * repository full name, the lower-cased sha and the ref, so no two distinct triples share an encoding.
     */
    public static String runId(String repositoryFullName, String sha, String ref) {
        byte[][] parts = {
            utf8(NAMESPACE),
            utf8(require(repositoryFullName, "repositoryFullName")),
            utf8(require(sha, "sha").toLowerCase(Locale.ROOT)),
            utf8(require(ref, "ref"))
        };
        int size = 0;
        for (byte[] part : parts) {
            size += Integer.BYTES + part.length;
        }
        ByteBuffer encoded = ByteBuffer.allocate(size);
        for (byte[] part : parts) {
            encoded.putInt(part.length).put(part);
        }
        return UUID.nameUUIDFromBytes(encoded.array()).toString();
    }

    /** A new random (type-4) UUID for the {@code eventId} of an event about to be emitted. */
    public static String newEventId() {
        return UUID.randomUUID().toString();
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

package io.slipway.common.management;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Decides what a request's {@code Authorization} header grants on the management endpoints: the configured token sent
 * as {@code Bearer <token>} grants access, no header is anonymous, anything else is refused. Tokens are compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}, so neither their content nor their length shows in the timing.
 */
public final class ManagementToken {

    /** What a request may see. */
    public enum Access {
        /** The request carries the configured token. */
        GRANTED,
        /** The request carries no {@code Authorization} header. */
        ANONYMOUS,
        /** The request carries a header that is not the configured token. */
        REFUSED,
        /** No token is configured: nobody is granted access. */
        NOT_CONFIGURED
    }

    private static final String BEARER = "bearer ";

    private final byte[] expected;

    /** {@code token} null or blank: no token is configured. */
    public ManagementToken(String token) {
        this.expected = token == null || token.isBlank() ? null : sha256(token.trim());
    }

    /** Whether a token is configured at all. */
    public boolean configured() {
        return expected != null;
    }

    /** What a request with this {@code Authorization} header (null when absent) may see. */
    public Access check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return expected == null ? Access.NOT_CONFIGURED : Access.ANONYMOUS;
        }
        if (expected == null) {
            return Access.NOT_CONFIGURED;
        }
        String header = authorization.trim();
        if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return Access.REFUSED;
        }
        byte[] given = sha256(header.substring(BEARER.length()).trim());
        return MessageDigest.isEqual(given, expected) ? Access.GRANTED : Access.REFUSED;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package io.slipway.dashboard.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * The runs page's keyset position (trigger time, run id, attempt) as an opaque URL-safe token with a check sum, so a
 * cursor that was edited or cut is refused rather than read as some other position.
 */
record RunCursor(Instant triggeredAt, String runId, int attempt) {

    private static final int CHECK_BYTES = 8;
    private static final int MAX_TOKEN = 512;

    String encode() {
        byte[] id = runId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(8 + 4 + id.length);
        body.putLong(triggeredAt.toEpochMilli()).putInt(attempt).put(id);
        byte[] content = body.array();
        byte[] token = Arrays.copyOf(content, content.length + CHECK_BYTES);
        System.arraycopy(check(content), 0, token, content.length, CHECK_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /**
     * The position a token names.
     *
     * @throws IllegalArgumentException when the token is not one {@link #encode} made
     */
    static RunCursor decode(String token) {
        if (token.length() > MAX_TOKEN) {
            throw new IllegalArgumentException("not a runs cursor: too long");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a runs cursor", e);
        }
        if (bytes.length < 8 + 4 + 1 + CHECK_BYTES) {
            throw new IllegalArgumentException("not a runs cursor: too short");
        }
        byte[] content = Arrays.copyOf(bytes, bytes.length - CHECK_BYTES);
        byte[] check = Arrays.copyOfRange(bytes, content.length, bytes.length);
        if (!MessageDigest.isEqual(check, Arrays.copyOf(check(content), CHECK_BYTES))) {
            throw new IllegalArgumentException("not a runs cursor: it was altered");
        }
        ByteBuffer body = ByteBuffer.wrap(content);
        long millis = body.getLong();
        int attempt = body.getInt();
        String runId = new String(content, 12, content.length - 12, StandardCharsets.UTF_8);
        return new RunCursor(Instant.ofEpochMilli(millis), runId, attempt);
    }

    private static byte[] check(byte[] content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("slipway-runs-cursor".getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest.digest(content), CHECK_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

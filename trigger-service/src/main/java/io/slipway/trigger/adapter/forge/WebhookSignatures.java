package io.slipway.trigger.adapter.forge;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * HMAC-SHA256 webhook signatures over the raw request body, as GitHub ({@code sha256=<hex>}) and
 * Gitea/Forgejo (bare hex) send them, and plain tokens as GitLab sends them. Comparisons take constant time.
 */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    public static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code signature} (hex, optionally with a prefix such as {@code sha256=}) signs the body. */
    public static boolean verify(String secret, byte[] body, String signature, String prefix) {
        if (signature == null) {
            return false;
        }
        String hex = signature.trim();
        if (!prefix.isEmpty()) {
            if (!hex.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return false;
            }
            hex = hex.substring(prefix.length());
        }
        byte[] expected = hmacSha256Hex(secret, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, hex.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** Constant-time comparison of a plain token. */
    public static boolean tokenMatches(String expected, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}

package io.slipway.container.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests as the OCI spec writes them, {@code <algorithm>:<lower-case hex>}; sha256 and sha512. */
public final class Digests {

    private Digests() {
    }

    /** The digest of {@code content} with the algorithm of {@code like} (sha256 unless it names sha512). */
    public static String of(byte[] content, String like) {
        String algorithm = like != null && like.startsWith("sha512:") ? "sha512" : "sha256";
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
            return algorithm + ":" + HexFormat.of().formatHex(digest.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a manifest reference is a digest rather than a tag. */
    public static boolean isDigest(String reference) {
        return reference.indexOf(':') > 0;
    }
}

package io.slipway.deployer.adapter.docker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The names of an environment's containers: {@code slipway-<environment>-<owner>-<name>} in Docker's alphabet
 * ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}; anything else becomes {@code -}, long names are cut and end with a hash of
 * the whole), plus the two names a deployment in progress uses: {@code …-next} for the new container before it takes
 * the name, {@code …-previous} for the old one until the new one is healthy.
 */
record ContainerNames(String current) {

    private static final int MAX_LENGTH = 180;

    static ContainerNames of(String environment, String repository) {
        String raw = "slipway-" + environment + "-" + repository.replace('/', '-');
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        if (name.length() > MAX_LENGTH) {
            name = name.substring(0, MAX_LENGTH - 13) + "-" + hash(raw);
        }
        return new ContainerNames(name);
    }

    String next() {
        return current + "-next";
    }

    String previous() {
        return current + "-previous";
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

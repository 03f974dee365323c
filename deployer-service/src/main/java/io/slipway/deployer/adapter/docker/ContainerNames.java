package io.slipway.deployer.adapter.docker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names of an environment's containers: {@code slipway-<environment>-<owner>-<name>} in Docker's alphabet
 * ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}). A name that would not say unambiguously whose it is (a {@code -} in the
 * environment or owner, a subgroup, a character Docker refuses or an upper-case letter, a name ending like the names
 * below or like a hash, or one too long) is cut and ends with a hash of environment and repository, so two
 * environments or repositories never share a container name. A deployment in progress uses two more names:
 * {@code …-next} for the new container before it takes the name, {@code …-previous} for the old one until the new
 * one is healthy.
 */
record ContainerNames(String current) {

    private static final int MAX_LENGTH = 180;
    private static final Pattern AMBIGUOUS_END = Pattern.compile(".*-(next|previous|[0-9a-f]{12})");

    static ContainerNames of(String environment, String repository) {
        String raw = "slipway-" + environment + "-" + repository.replace('/', '-');
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        int slash = repository.indexOf('/');
        boolean plain = name.equals(raw) && name.length() <= MAX_LENGTH && !environment.contains("-")
                && slash > 0 && repository.indexOf('/', slash + 1) < 0 && !repository.substring(0, slash).contains("-")
                && !AMBIGUOUS_END.matcher(name).matches();
        if (!plain) {
            name = name.substring(0, Math.min(name.length(), MAX_LENGTH - 13)) + "-"
                    + hash(environment + "|" + repository);
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

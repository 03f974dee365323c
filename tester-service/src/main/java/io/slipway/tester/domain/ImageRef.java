package io.slipway.tester.domain;

import java.util.regex.Pattern;

/** An image in a registry identified by its content digest; the tester never resolves tags. */
public record ImageRef(String registry, String repository, String digest) {

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /** Whether {@code digest} is an OCI sha256 content digest. */
    public boolean hasDigest() {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    /** {@code registry/repository}, the name without tag or digest. */
    public String name() {
        return registry == null || registry.isBlank() ? repository : registry + "/" + repository;
    }

    /** {@code registry/repository@sha256:…}, the only form in which the tester pulls and runs an image. */
    public String reference() {
        return name() + "@" + digest;
    }
}

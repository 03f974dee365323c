package io.slipway.deployer.domain;

import java.util.Objects;

/**
 * A published artifact, always named by digest: a container image ({@code registry/repository@sha256:…}) or a VM
 * image (Glance image id in {@code digest}, its name in {@code repository}). Never a tag: what was tested is what runs.
 */
public record Artifact(Kind kind, String registry, String repository, String digest) {

    /** Container image or VM image, as ArtifactKind. */
    public enum Kind { CONTAINER, VM }

    public Artifact {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
    }

    /** The pull reference of a container image by digest: {@code registry/repository@digest}. */
    public String reference() {
        return registry + "/" + repository + "@" + digest;
    }
}

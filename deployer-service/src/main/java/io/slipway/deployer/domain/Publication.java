package io.slipway.deployer.domain;

import java.util.Objects;

/** An artifact a run published ({@code ArtifactPublished}), with the repository's deploy intent. */
public record Publication(Run run, Artifact artifact, Intent intent) {

    public Publication {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(artifact, "artifact");
        intent = intent == null ? Intent.NONE : intent;
    }
}

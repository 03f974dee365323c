package io.slipway.notifier.domain;

import java.util.List;

/** The artifact a run published: where it lives, its content digest and the tags it got. */
public record Artifact(String kind, String registry, String repository, String digest, List<String> tags) {

    public Artifact {
        tags = List.copyOf(tags);
    }

    /** {@code registry/repository@digest}, the reference that pulls exactly this artifact. */
    public String reference() {
        return registry + "/" + repository + "@" + digest;
    }
}

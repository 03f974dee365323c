package io.slipway.builder.domain;

import java.util.Optional;

/** Port: the registry that holds staged images, asked whether an image is staged already. */
public interface StagingRegistry {

    /** {@code host[:port]} of the registry, the first part of every staged image reference. */
    String host();

    /** The path under which images are staged, e.g. {@code staging}. */
    String prefix();

    /**
     * The digest of {@code repository:tag}, or empty when it is not staged.
     *
     * @throws StageFailure {@link Reason#PUSH_FAILED} when the registry refuses the credentials
     * @throws InfrastructureUnavailable when the registry cannot be reached
     */
    Optional<String> stagedDigest(String repository, String tag);
}

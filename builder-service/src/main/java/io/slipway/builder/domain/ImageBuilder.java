package io.slipway.builder.domain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Port: builds an image from a checked-out context on a Docker engine and pushes it. */
public interface ImageBuilder {

    /**
     * What to build: the checked-out commit ({@code workspace}), the context and Dockerfile inside it, the full image
     * reference to tag, labels and build args. Nothing outside the workspace may reach the build; an {@code untrusted}
     * build (a fork's request) gets none of the builder's own credentials either (no registry auth for base images).
     */
    record BuildSpec(Path workspace, Path context, Path dockerfile, String reference, Map<String, String> labels,
                     Map<String, String> buildArgs, String target, Duration timeout, boolean untrusted) {

        /** A build of the repository's own content (a push or a same-repository request). */
        public BuildSpec(Path workspace, Path context, Path dockerfile, String reference, Map<String, String> labels,
                         Map<String, String> buildArgs, String target, Duration timeout) {
            this(workspace, context, dockerfile, reference, labels, buildArgs, target, timeout, false);
        }
    }

    /** The pushed manifest's digest and the bytes of layers that were actually uploaded. */
    record PushResult(String digest, long bytesPushed) {
    }

    /**
     * Builds and tags {@code spec.reference()}, streaming the build output into {@code log}.
     *
     * @throws StageFailure {@link Reason#BUILD_ERROR} or {@link Reason#TIMEOUT} (archiving the context included), or
     *                      {@link Reason#CONFIG_INVALID} when the context cannot be sent as it is
     * @throws InfrastructureUnavailable when the engine cannot be reached
     * @throws BuildInterrupted when {@code cancellation} fires
     */
    void build(BuildSpec spec, BuildLog log, Cancellation cancellation);

    /**
     * Pushes {@code image:tag} ({@code image} includes the registry host).
     *
     * @throws StageFailure {@link Reason#PUSH_FAILED}
     * @throws InfrastructureUnavailable when the engine or the registry cannot be reached
     * @throws BuildInterrupted when {@code cancellation} fires
     */
    PushResult push(String image, String tag, BuildLog log, Cancellation cancellation);
}

package io.slipway.builder.domain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Port: builds an image from a checked-out context on a Docker engine and pushes it. */
public interface ImageBuilder {

    /**
     * What to build: the checked-out commit ({@code workspace}), the context and Dockerfile inside it, the full image
     * reference to tag, labels and build args. Nothing outside the workspace may reach the build.
     */
    record BuildSpec(Path workspace, Path context, Path dockerfile, String reference, Map<String, String> labels,
                     Map<String, String> buildArgs, String target, Duration timeout) {
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

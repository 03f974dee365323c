package io.slipway.builder.domain;

import io.slipway.common.policy.ImageOwnership;
import io.slipway.common.requests.StalenessWatch;

import io.slipway.builder.domain.BuildOutcome.Built;
import io.slipway.builder.domain.BuildOutcome.StagedImage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The dry-run backend ({@code SLIPWAY_DRY_RUN=true}): every request is "built" at once without fetching the commit,
 * touching a Docker engine or a registry. The image it announces is {@code <registry>/<prefix>/<repository>:<sha>}
 * with the digest {@code sha256(repository@sha)}, so a run and its redelivery announce the same image. Nothing waits,
 * so nothing is superseded either, nor stopped for a stale pull or merge request. It exists to measure the
 * orchestration alone (the pipeline benchmark); it must never be used where images matter. Its log is one line saying
 * so, streamed like a real build's so the benchmark stack carries log chunks too, without waiting for them.
 */
public final class DryRunBuilds implements Builds {

    private final String registry;
    private final String prefix;
    private final StreamedLog.Streams streams;
    private volatile boolean stopping;

    public DryRunBuilds(String registry, String prefix) {
        this(registry, prefix, StreamedLog.Streams.NONE);
    }

    /** Streams each dry run's one line through {@code streams}, without waiting for the chunk to be sent. */
    public DryRunBuilds(String registry, String prefix, StreamedLog.Streams streams) {
        this.registry = registry;
        this.prefix = prefix;
        this.streams = streams;
    }

    @Override
    public BuildOutcome build(BuildRequest request, StalenessWatch watch) {
        if (stopping) {
            throw new BuildInterrupted("the builder is shutting down");
        }
        String digest = "sha256:" + sha256(request.repository() + "@" + request.sha());
        StagedImage image = new StagedImage(registry, prefix + "/" + ImageOwnership.ownName(request.repository()),
                request.sha(), digest);
        StreamedLog log = streams.open(request);
        log.line("Slipway dry run: " + request.repository() + "@" + request.shortSha() + " was not built; announcing "
                + image.registry() + "/" + image.repository() + ":" + image.tag() + " as " + digest);
        log.finish();
        return new Built(image, 0, false, List.of());
    }

    /** Nothing is built: a poll's commits share one transaction. */
    @Override
    public boolean light() {
        return true;
    }

    @Override
    public void shutdown(Duration grace) {
        // Nothing runs for longer than a method call: there is nothing to wait for, only new builds to refuse.
        stopping = true;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

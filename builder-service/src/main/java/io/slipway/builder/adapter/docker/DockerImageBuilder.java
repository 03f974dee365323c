package io.slipway.builder.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import io.slipway.builder.domain.BuildInterrupted;
import io.slipway.builder.domain.BuildLog;
import io.slipway.builder.domain.Cancellation;
import io.slipway.builder.domain.ImageBuilder;
import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.StageFailure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Builds and pushes through the Docker Engine API (docker-java): the classic builder with memory (no extra swap)
 * and CPU limits, never privileged, intermediate containers always removed, the engine's layer cache kept; an
 * untrusted build (a fork's request) is sent no registry credentials for its base images. The
 * context is archived by {@link BuildContext} (links never followed, size-limited) within the build's timeout. The
 * build output streams into the {@link BuildLog}; at the timeout, or when the build is cancelled, the stream is
 * closed, which makes the engine stop the build and kill its running step.
 */
public final class DockerImageBuilder implements ImageBuilder {

    /**
     * Resource limits of every build and the push timeout.
     *
     * @param memoryBytes     memory of each build step, swap included (0: no limit)
     * @param cpuShares       relative CPU weight of build steps (1024 is one full share; 0: engine default)
     * @param cpusetCpus      CPUs build steps may run on, e.g. {@code 0-1} (null or blank: all)
     * @param contextMaxBytes the largest build context (tar size) sent to the engine
     */
    public record Limits(long memoryBytes, int cpuShares, String cpusetCpus, Duration pushTimeout,
                         long contextMaxBytes) {
        public Limits {
            if (contextMaxBytes <= 0) {
                throw new IllegalArgumentException("the build context limit (SLIPWAY_BUILD_CONTEXT_MAX) must be positive, got "
                        + contextMaxBytes);
            }
        }
    }

    private static final Set<String> QUIET_PUSH_STATUS = Set.of("Preparing", "Waiting", "Pushing");

    private final DockerClient docker;
    private final String dockerHost;
    private final Limits limits;
    private final AuthConfig auth;

    /** {@code auth} holds the staging registry's credentials (from configuration), or null for none. */
    public DockerImageBuilder(DockerClient docker, String dockerHost, Limits limits, AuthConfig auth) {
        this.docker = docker;
        this.dockerHost = dockerHost;
        this.limits = limits;
        this.auth = auth;
    }

    @Override
    public void build(BuildSpec spec, BuildLog log, Cancellation cancellation) {
        long deadline = System.nanoTime() + spec.timeout().toNanos();
        Path tar = spec.workspace().resolveSibling(spec.workspace().getFileName() + ".context.tar");
        try {
            BuildContext.Archive context = new BuildContext(spec.workspace(), limits.contextMaxBytes(), () -> {
                if (cancellation.isCancelled()) {
                    throw new BuildInterrupted("the build was cancelled");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut(spec, log, " while its context was archived");
                }
            }).write(spec.context(), spec.dockerfile(), tar);
            log.line("Slipway: sending a build context of " + context.bytes() + " bytes");
            try (InputStream in = Files.newInputStream(tar)) {
                build(spec, context.dockerfile(), in, deadline, log, cancellation);
            }
        } catch (IOException e) {
            throw new InfrastructureUnavailable(Reason.INFRASTRUCTURE, "Cannot read the build context " + tar + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(tar);
            } catch (IOException e) {
                log.line("Slipway: could not remove the build context " + tar + ": " + e);
            }
        }
    }

    private void build(BuildSpec spec, String dockerfile, InputStream context, long deadline, BuildLog log,
                       Cancellation cancellation) {
        Stream<BuildResponseItem> stream = new Stream<>(log, item -> item.getStream());
        String imageId;
        try {
            BuildImageCmd command = docker.buildImageCmd(context)
                    .withDockerfilePath(dockerfile)
                    .withTags(Set.of(spec.reference()))
                    .withLabels(spec.labels())
                    .withPull(false)
                    .withNoCache(false)
                    .withRemove(true)
                    .withForcerm(true);
            if (limits.memoryBytes() > 0) {
                command.withMemory(limits.memoryBytes()).withMemswap(limits.memoryBytes());
            }
            if (limits.cpuShares() > 0) {
                command.withCpushares(Integer.toString(limits.cpuShares()));
            }
            if (limits.cpusetCpus() != null && !limits.cpusetCpus().isBlank()) {
                command.withCpusetcpus(limits.cpusetCpus());
            }
            if (spec.target() != null) {
                command.withTarget(spec.target());
            }
            if (spec.untrusted()) {
                // Otherwise docker-java sends the auths of the builder's Docker config (X-Registry-Config) for FROM pulls.
                command.withBuildAuthConfigs(new AuthConfigurations());
            }
            spec.buildArgs().forEach(command::withBuildArg);
            if (!await(command.exec(stream), deadline, cancellation)) {
                throw timedOut(spec, log, "");
            }
            imageId = stream.imageId();
        } catch (RuntimeException e) {
            throw classify(e, "build", Reason.BUILD_ERROR);
        }
        if (stream.error != null) {
            throw failure(stream.error, "The Docker build failed: ", Reason.BUILD_ERROR);
        }
        if (imageId == null) {
            throw new StageFailure(Reason.BUILD_ERROR, "The Docker build ended without an image.", false);
        }
    }

    private static StageFailure timedOut(BuildSpec spec, BuildLog log, String when) {
        log.line("Slipway: the build did not finish within " + spec.timeout() + when + "; it was stopped.");
        return new StageFailure(Reason.TIMEOUT, "The build did not finish within " + describe(spec.timeout())
                + when + " and was stopped.", true);
    }

    @Override
    public PushResult push(String image, String tag, BuildLog log, Cancellation cancellation) {
        Stream<PushResponseItem> stream = new Stream<>(log, item -> item.getStatus() == null
                || QUIET_PUSH_STATUS.contains(item.getStatus()) ? null
                : (item.getId() == null ? "" : item.getId() + ": ") + item.getStatus() + "\n");
        try {
            var command = docker.pushImageCmd(image).withTag(tag);
            if (auth != null) {
                command.withAuthConfig(auth);
            }
            if (!await(command.exec(stream), System.nanoTime() + limits.pushTimeout().toNanos(), cancellation)) {
                throw new InfrastructureUnavailable(Reason.PUSH_FAILED, "The push of " + image + ":" + tag
                        + " did not finish within " + describe(limits.pushTimeout()), null);
            }
        } catch (RuntimeException e) {
            throw classify(e, "push", Reason.PUSH_FAILED);
        }
        if (stream.error != null) {
            throw failure(stream.error, "The push of " + image + ":" + tag + " failed: ", Reason.PUSH_FAILED);
        }
        if (stream.digest == null) {
            throw new StageFailure(Reason.PUSH_FAILED, "The engine pushed " + image + ":" + tag + " but reported no digest.", true);
        }
        return new PushResult(stream.digest, stream.bytesPushed());
    }

    /** Waits for the stream; false at the deadline ({@link System#nanoTime}; the stream is then closed). */
    private static boolean await(Stream<?> stream, long deadline, Cancellation cancellation) {
        try (AutoCloseable ignored = cancellation.whileRunning(stream::closeQuietly)) {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    stream.closeQuietly();
                    return false;
                }
                // ResultCallback.awaitCompletion(timeout) closes the stream when it returns, so wait on our own latch.
                boolean done = stream.done.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS);
                if (cancellation.isCancelled()) {
                    throw new BuildInterrupted("the build was cancelled");
                }
                if (done) {
                    if (stream.failure != null) {
                        throw new IllegalStateException(stream.failure.getMessage(), stream.failure);
                    }
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.closeQuietly();
            throw new BuildInterrupted("interrupted while building");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private RuntimeException classify(RuntimeException e, String step, Reason reason) {
        if (e instanceof StageFailure || e instanceof InfrastructureUnavailable || e instanceof BuildInterrupted) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return new InfrastructureUnavailable(Reason.INFRASTRUCTURE, "The Docker engine at " + dockerHost
                        + " could not be reached during the " + step + ": " + t, e);
            }
        }
        String message = e instanceof DockerException ? e.getMessage().strip() : e.toString();
        return new StageFailure(reason, "The Docker " + step + " failed: " + message, reason == Reason.PUSH_FAILED);
    }

    /** A failure reported inside the stream: registry connection trouble is transient, anything else is final. */
    private static RuntimeException failure(String error, String prefix, Reason reason) {
        String lower = error.toLowerCase(Locale.ROOT);
        if (lower.contains("connection refused") || lower.contains("no such host") || lower.contains("i/o timeout")
                || lower.contains("connection reset") || lower.contains("tls handshake timeout")) {
            return new InfrastructureUnavailable(Reason.INFRASTRUCTURE, prefix + error, null);
        }
        return new StageFailure(reason, prefix + error, reason == Reason.PUSH_FAILED);
    }

    private static String describe(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** Collects one streamed response: log text, the first error, the image id or pushed digest and layer sizes. */
    private static final class Stream<T extends ResponseItem> extends ResultCallback.Adapter<T> {

        private final BuildLog log;
        private final Function<T, String> text;
        private final Map<String, Long> layerSizes = new ConcurrentHashMap<>();
        private final Set<String> pushedLayers = ConcurrentHashMap.newKeySet();
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;
        private volatile String error;
        private volatile String digest;
        private volatile String imageId;

        Stream(BuildLog log, Function<T, String> text) {
            this.log = log;
            this.text = text;
        }

        @Override
        public void onNext(T item) {
            String line = text.apply(item);
            if (line != null) {
                log.append(line);
            }
            if (item.isErrorIndicated() && error == null) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
                log.line(error);
            }
            if (item instanceof BuildResponseItem build && build.isBuildSuccessIndicated()) {
                imageId = build.getImageId();
            }
            if (item.getAux() != null && item.getAux().getDigest() != null) {
                digest = item.getAux().getDigest();
            }
            if (item.getId() != null && item.getProgressDetail() != null && item.getProgressDetail().getTotal() != null
                    && "Pushing".equals(item.getStatus())) {
                layerSizes.put(item.getId(), item.getProgressDetail().getTotal());
            }
            if (item.getId() != null && "Pushed".equals(item.getStatus())) {
                pushedLayers.add(item.getId());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
            super.onError(throwable);
            done.countDown();
        }

        @Override
        public void onComplete() {
            super.onComplete();
            done.countDown();
        }

        String imageId() {
            return imageId;
        }

        long bytesPushed() {
            return pushedLayers.stream().mapToLong(id -> layerSizes.getOrDefault(id, 0L)).sum();
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException ignored) {
                // closing a stream that is gone already
            }
        }
    }
}

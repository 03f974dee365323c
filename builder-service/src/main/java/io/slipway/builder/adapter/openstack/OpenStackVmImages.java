package io.slipway.builder.adapter.openstack;

import io.slipway.builder.domain.BuildInterrupted;
import io.slipway.builder.domain.BuildLog;
import io.slipway.builder.domain.Cancellation;
import io.slipway.builder.domain.PipelineFile;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.StageFailure;
import io.slipway.builder.domain.VmImages;
import io.slipway.openstack.VmBuildRequest;

import io.slipway.openstack.VmImageBuilder;
import io.slipway.openstack.VmImageException;
import io.slipway.openstack.VmSpec;

/**
 * {@link VmImages} on OpenStack through the {@code openstack} module's {@link VmImageBuilder}. A
 * {@link VmImageException} becomes a {@link StageFailure} with the same reason code and retryability; its log
 * excerpt (the server's console tail) goes into the build log, whose masked tail is the failure's excerpt.
 * Cancelling the build interrupts the calling thread, which stops the VM build (the module still deletes the server).
 */
public final class OpenStackVmImages implements VmImages {

    private final VmImageBuilder builder;

    public OpenStackVmImages(VmImageBuilder builder) {
        this.builder = builder;
    }

    @Override
    public VmImages.VmImage build(VmBuild build, BuildLog log, Cancellation cancellation) {
        PipelineFile.Server server = build.server();
        VmSpec spec = new VmSpec(server.baseImage(), server.flavor(), server.network(), server.keyPair(),
                server.securityGroups());
        log.line("Building a VM image on OpenStack (base image " + orDefault(spec.baseImage()) + ", flavor "
                + orDefault(spec.flavor()) + ")");
        Thread caller = Thread.currentThread();
        try (AutoCloseable ignored = cancellation.whileRunning(caller::interrupt)) {
            io.slipway.openstack.VmImage image = builder.build(new VmBuildRequest(build.runId(), build.repository(), build.sourceUrl(),
                    build.sha(), build.ref(), build.provisionScript(), spec));
            log.line("VM image " + image.name() + " is " + image.imageId() + " in " + image.imageServiceUrl());
            return new VmImages.VmImage(image.imageServiceUrl(), image.name(), image.imageId(), image.tags());
        } catch (VmImageException e) {
            if (cancellation.isCancelled()) {
                Thread.interrupted();
                throw new BuildInterrupted("VM build cancelled: " + e.getMessage());
            }
            e.logExcerpt().lines().forEach(log::line);
            throw new StageFailure(reason(e), e.getMessage(), e.retryable());
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                Thread.interrupted();
                throw new BuildInterrupted("VM build cancelled: " + e.getMessage());
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (cancellation.isCancelled()) {
                Thread.interrupted();
            }
        }
    }

    static Reason reason(VmImageException e) {
        try {
            return Reason.valueOf(e.reason().name());
        } catch (IllegalArgumentException notABuilderReason) {
            return Reason.SERVER_ERROR;
        }
    }

    private static String orDefault(String value) {
        return value == null ? "default" : value;
    }
}

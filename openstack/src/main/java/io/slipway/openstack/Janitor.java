package io.slipway.openstack;

import org.openstack4j.model.compute.Server;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.openstack.image.v2.domain.GlanceImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Removes what a VM stage created: after each job (everything carrying the job's id, whether the job succeeded or
 * not) and at start-up (everything this owner left, or any owner left past its lease). Only servers and images
 * marked {@link SlipwayMetadata#MANAGED} by the stage are candidates, and only images still {@code building}:
 * a finished image is an artifact, never garbage.
 */
final class Janitor {

    private static final Logger LOG = LoggerFactory.getLogger(Janitor.class);

    private final OpenStackCloud cloud;
    private final Nova nova;
    private final Glance glance;
    private final String stage;

    Janitor(OpenStackCloud cloud, Nova nova, Glance glance, String stage) {
        this.cloud = cloud;
        this.nova = nova;
        this.glance = glance;
        this.stage = stage;
    }

    /** The metadata a stage puts on everything it creates for one job. */
    Map<String, String> metadata(String runId, String jobId) {
        OpenStackSettings settings = cloud.settings();
        return Map.of(SlipwayMetadata.MANAGED, stage, SlipwayMetadata.RUN_ID, runId, SlipwayMetadata.JOB_ID, jobId,
                SlipwayMetadata.OWNER, settings.owner(),
                SlipwayMetadata.EXPIRES, cloud.poller().clock().instant().plus(settings.lease()).toString());
    }

    /** Removes the job's servers and, when {@code failed}, its unfinished images; never throws. */
    SweepReport afterJob(String jobId, boolean failed) {
        Thread thread = Thread.currentThread();
        boolean interrupted = Thread.interrupted();
        try {
            return remove(metadata -> jobId.equals(metadata.get(SlipwayMetadata.JOB_ID)), failed && makesImages());
        } finally {
            if (interrupted) {
                thread.interrupt();
            }
        }
    }

    /** Removes what this owner left behind and anything past its lease; never throws. */
    SweepReport sweep() {
        Instant now = cloud.poller().clock().instant();
        String owner = cloud.settings().owner();
        SweepReport report = remove(metadata -> owner.equals(metadata.get(SlipwayMetadata.OWNER))
                || expired(metadata.get(SlipwayMetadata.EXPIRES), now), makesImages());
        LOG.info("OpenStack sweep for {} (owner {}): {}", stage, owner, report);
        return report;
    }

    private boolean makesImages() {
        return SlipwayMetadata.BUILDER.equals(stage);
    }

    private SweepReport remove(Predicate<Map<String, String>> abandoned, boolean images) {
        List<String> servers = new ArrayList<>();
        List<String> removedImages = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Duration timeout = cloud.settings().cleanupTimeout();
        attempt("listing servers", failures, () -> {
            for (Server server : nova.managed(stage)) {
                if (abandoned.test(server.getMetadata())) {
                    attempt("server " + server.getId(), failures, () -> {
                        nova.delete(server.getId(), timeout);
                        servers.add(server.getId());
                    });
                }
            }
        });
        if (images) {
            attempt("listing images", failures, () -> {
                for (Image image : glance.find(Map.of(SlipwayMetadata.MANAGED, stage,
                        SlipwayMetadata.STATE, SlipwayMetadata.BUILDING))) {
                    Map<String, String> properties = image instanceof GlanceImage glanceImage
                            ? glanceImage.getAdditionalProperties() : null;
                    if (properties != null && stage.equals(properties.get(SlipwayMetadata.MANAGED))
                            && SlipwayMetadata.BUILDING.equals(properties.get(SlipwayMetadata.STATE))
                            && abandoned.test(properties)) {
                        attempt("image " + image.getId(), failures, () -> {
                            glance.delete(image.getId());
                            removedImages.add(image.getId());
                        });
                    }
                }
            });
        }
        return new SweepReport(servers, removedImages, failures);
    }

    private static void attempt(String what, List<String> failures, Runnable action) {
        try {
            action.run();
        } catch (VmImageException e) {
            LOG.warn("OpenStack clean-up of {} failed, left for the next sweep: {}", what, e.getMessage());
            failures.add(what + ": " + e.getMessage());
        }
    }

    private static boolean expired(String expires, Instant now) {
        try {
            return expires == null || Instant.parse(expires).isBefore(now);
        } catch (DateTimeParseException e) {
            return true;
        }
    }
}

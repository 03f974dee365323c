package io.slipway.openstack;

import org.openstack4j.model.compute.Server;
import org.openstack4j.model.image.v2.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link VmImageBuilder} on OpenStack (builder backend {@code openstack}): boot, wait for ACTIVE, wait for the
 * {@link ProvisioningScript} marker on the console, stop, snapshot ({@code createImage} with Slipway's properties, so
 * even a half-made image is findable), wait for the image to be active, label it, and delete the server in every
 * case. The rule: a build leaves exactly one active, labelled image and nothing running, or nothing at all.
 */
public final class OpenStackVmImageBuilder implements VmImageBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(OpenStackVmImageBuilder.class);
    private static final int CONSOLE_LINES = 200;

    private final OpenStackCloud cloud;
    private final VmBuilderSettings settings;
    private final Nova nova;
    private final Glance glance;
    private final Janitor janitor;

    public OpenStackVmImageBuilder(OpenStackCloud cloud, VmBuilderSettings settings) {
        this.cloud = cloud;
        this.settings = settings;
        this.nova = new Nova(cloud);
        this.glance = new Glance(cloud);
        this.janitor = new Janitor(cloud, nova, glance, SlipwayMetadata.BUILDER);
    }

    @Override
    public VmImage build(VmBuildRequest request) {
        VmSpec spec = validate(request);
        Instant started = cloud.poller().clock().instant();
        String jobId = UUID.randomUUID().toString();
        String shortSha = request.revision().substring(0, Math.min(12, request.revision().length()));
        String serverName = Nova.NAME_PREFIX + "build-" + slug(request.repository(), 40) + "-" + shortSha;
        Map<String, String> metadata = janitor.metadata(request.runId(), jobId);
        VmImage image = null;
        boolean launched = false;
        LOG.info("Run {}: building VM image of {}@{} on flavor {} from image {} (job {})", request.runId(),
                request.repository(), shortSha, spec.flavor(), spec.baseImage(), jobId);
        try {
            cloud.authenticate();
            launched = true;
            String serverId = nova.boot(serverName, spec.baseImage(), spec,
                    ProvisioningScript.userData(request.provisionScript(), jobId), metadata).getId();
            nova.await(serverId, Server.Status.ACTIVE, cloud.settings().bootTimeout());
            awaitProvisioned(serverId, jobId);
            nova.stop(serverId, cloud.settings().bootTimeout());
            image = snapshot(serverId, jobId, request, slug(request.repository(), 80) + "-" + shortSha, metadata,
                    started);
            LOG.info("Run {}: VM image {} ({}) built", request.runId(), image.imageId(), image.name());
            return image;
        } finally {
            if (launched) {
                LOG.info("Run {}: clean-up after job {}: {}", request.runId(), jobId,
                        janitor.afterJob(jobId, image == null));
            }
        }
    }

    @Override
    public SweepReport sweep() {
        return janitor.sweep();
    }

    private VmSpec validate(VmBuildRequest request) {
        VmSpec spec = request.spec() == null ? settings.defaults() : request.spec().orElse(settings.defaults());
        Env problems = new Env(Map.of());
        if (request.runId() == null || request.repository() == null || request.revision() == null) {
            problems.problem("run id, repository and revision are required");
        }
        if (request.provisionScript() == null || request.provisionScript().isBlank()) {
            problems.problem("the repository has no provisioning script (openstack.provision in .slipway.yml)");
        }
        if (spec.baseImage() == null) {
            problems.problem("no base image (openstack.baseImage in .slipway.yml or SLIPWAY_OPENSTACK_BASE_IMAGE)");
        }
        if (spec.flavor() == null) {
            problems.problem("no flavor (openstack.flavor in .slipway.yml or SLIPWAY_OPENSTACK_FLAVOR)");
        } else if (!settings.allowedFlavors().isEmpty() && !settings.allowedFlavors().contains(spec.flavor())) {
            problems.problem("flavor " + spec.flavor() + " is not allowed (SLIPWAY_OPENSTACK_ALLOWED_FLAVORS: "
                    + settings.allowedFlavors() + ")");
        }
        problems.validate("VM build of " + request.repository());
        return spec;
    }

    private void awaitProvisioned(String serverId, String jobId) {
        AtomicReference<String> console = new AtomicReference<>("");
        try {
            int exit = cloud.poller().until("provisioning on server " + serverId, settings.provisionTimeout(), () -> {
                Nova.failIfError(nova.get(serverId).orElseThrow(() -> new VmImageException(
                        VmFailureReason.SERVER_ERROR, "server " + serverId + " disappeared during provisioning")));
                console.set(nova.console(serverId, CONSOLE_LINES));
                return ProvisioningScript.exitCode(console.get(), jobId);
            });
            if (exit != 0) {
                throw new VmImageException(VmFailureReason.PROVISION_FAILED,
                        "the provisioning script exited with " + exit + " on server " + serverId);
            }
        } catch (VmImageException e) {
            throw e.logExcerpt().isEmpty() ? e.withLogExcerpt(console.get()) : e;
        }
    }

    private VmImage snapshot(String serverId, String jobId, VmBuildRequest request, String name,
                             Map<String, String> metadata, Instant started) {
        Map<String, String> snapshotProperties = new HashMap<>(metadata);
        snapshotProperties.put(SlipwayMetadata.STATE, SlipwayMetadata.BUILDING);
        // Nova answers createImage with a Location header before microversion 2.45 and with a body after it;
        // openstack4j reads only the header, so the job id property finds the image otherwise.
        String imageId = Optional.ofNullable(nova.snapshot(serverId, name, snapshotProperties))
                .or(() -> glance.find(Map.of(SlipwayMetadata.JOB_ID, jobId)).stream().findFirst().map(Image::getId))
                .orElseThrow(() -> new VmImageException(VmFailureReason.SNAPSHOT_FAILED,
                        "Nova accepted the snapshot of server " + serverId + " but Glance has no image for it"));
        Image image = glance.awaitActive(imageId, settings.snapshotTimeout());
        Instant created = cloud.poller().clock().instant();
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put(SlipwayMetadata.REVISION, request.revision());
        if (request.sourceUrl() != null) {
            provenance.put(SlipwayMetadata.SOURCE, request.sourceUrl());
        }
        if (request.ref() != null) {
            provenance.put(SlipwayMetadata.REF, request.ref());
        }
        provenance.put(SlipwayMetadata.CREATED, created.toString());
        provenance.put(SlipwayMetadata.RUN_ID, request.runId());
        provenance.put(SlipwayMetadata.REPOSITORY, request.repository());
        provenance.put(SlipwayMetadata.STATE, SlipwayMetadata.BUILT);
        List<String> tags = List.of(SlipwayMetadata.TAG, request.revision());
        glance.tag(glance.update(image, provenance, null), tags);
        return new VmImage(imageId, name, cloud.imageServiceUrl(), provenance, tags,
                Duration.between(started, created));
    }

    static String slug(String text, int max) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.length() <= max ? slug : slug.substring(0, max);
    }
}

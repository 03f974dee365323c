package io.slipway.openstack;

import org.openstack4j.model.image.v2.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link GlancePromoter} with openstack4j. Verifies the image is active and was built by the promoting run, then
 * patches only what differs. A release tag names one image per repository, as a registry tag names one manifest:
 * the tag is removed from the repository's other images that carry it (that is how {@code latest} moves).
 */
public final class OpenStackGlancePromoter implements GlancePromoter {

    private static final Logger LOG = LoggerFactory.getLogger(OpenStackGlancePromoter.class);
    private static final Set<String> VISIBILITIES = Set.of("private", "shared", "community", "public");

    private final OpenStackCloud cloud;
    private final Glance glance;

    public OpenStackGlancePromoter(OpenStackCloud cloud) {
        this.cloud = cloud;
        this.glance = new Glance(cloud);
    }

    @Override
    public PublishedVmImage promote(VmPromotion promotion) {
        if (promotion.visibility() != null && !VISIBILITIES.contains(promotion.visibility())) {
            throw new VmImageException(VmFailureReason.CONFIG_INVALID,
                    "visibility must be one of " + VISIBILITIES + ": " + promotion.visibility());
        }
        String id = promotion.imageId();
        Image image = glance.get(id).filter(found -> found.getStatus() == Image.ImageStatus.ACTIVE)
                .orElseThrow(() -> new VmImageException(VmFailureReason.IMAGE_NOT_FOUND,
                        "image " + id + " is not an active image in Glance"));
        String builtBy = image.getAdditionalPropertyValue(SlipwayMetadata.RUN_ID);
        if (!promotion.runId().equals(builtBy)) {
            throw new VmImageException(VmFailureReason.IMAGE_MISMATCH,
                    "image " + id + " was built by run " + builtBy + ", not by run " + promotion.runId());
        }
        Map<String, String> properties = new LinkedHashMap<>(promotion.properties());
        properties.put(SlipwayMetadata.CHANNEL, SlipwayMetadata.RELEASE);
        glance.tag(glance.update(image, properties, promotion.visibility()), promotion.tags());
        String repository = image.getAdditionalPropertyValue(SlipwayMetadata.REPOSITORY);
        if (repository != null) {
            promotion.tags().forEach(tag -> claim(tag, repository, id));
        }
        Image promoted = glance.get(id).orElseThrow(() -> new VmImageException(VmFailureReason.IMAGE_NOT_FOUND,
                "image " + id + " disappeared during promotion"));
        LOG.info("Run {}: VM image {} promoted with tags {}", promotion.runId(), id, promotion.tags());
        return new PublishedVmImage(id, promoted.getName(), cloud.imageServiceUrl(),
                promoted.getTags() == null ? List.of() : promoted.getTags(),
                glance.visibility(id), contentHash(promoted));
    }

    private void claim(String tag, String repository, String imageId) {
        for (Image other : glance.find(Map.of("tag", tag, SlipwayMetadata.REPOSITORY, repository))) {
            if (!other.getId().equals(imageId) && other.getTags() != null && other.getTags().contains(tag)
                    && repository.equals(other.getAdditionalPropertyValue(SlipwayMetadata.REPOSITORY))) {
                LOG.info("Moving tag {} of {} from image {} to {}", tag, repository, other.getId(), imageId);
                glance.untag(other.getId(), tag);
            }
        }
    }

    private static String contentHash(Image image) {
        String algorithm = image.getAdditionalPropertyValue("os_hash_algo");
        String value = image.getAdditionalPropertyValue("os_hash_value");
        if (algorithm != null && value != null) {
            return algorithm + ":" + value;
        }
        return image.getChecksum() == null ? null : "md5:" + image.getChecksum();
    }
}

package io.slipway.deliverer.adapter.openstack;

import io.slipway.common.kafka.TransientFailure;
import io.slipway.deliverer.domain.PromotionFailed;
import io.slipway.deliverer.domain.PromotionFailed.Reason;
import io.slipway.deliverer.domain.VmImages;
import io.slipway.openstack.GlancePromoter;
import io.slipway.openstack.PublishedVmImage;
import io.slipway.openstack.VmFailureReason;
import io.slipway.openstack.VmImageException;
import io.slipway.openstack.VmPromotion;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deliverer's {@link VmImages} on Glance through the {@code openstack} module's {@link GlancePromoter}: adds the
 * release tags, sets the configured visibility (null leaves the image as the builder made it, private) and marks
 * the image {@code io.slipway.channel=release}. {@code INFRASTRUCTURE} (API unreachable, 5xx, 429 after the module's
 * own retries) becomes a {@link TransientFailure}, so the record pipeline retries; every other
 * {@link VmFailureReason} becomes a {@link PromotionFailed} with the same reason code.
 */
public final class GlanceVmImages implements VmImages {

    /** The visibilities Glance knows; {@code SLIPWAY_OPENSTACK_RELEASE_VISIBILITY} must be one of them or unset. */
    public static final Set<String> VISIBILITIES = Set.of("private", "shared", "community", "public");

    private final GlancePromoter promoter;
    private final String visibility;

    public GlanceVmImages(GlancePromoter promoter, String visibility) {
        if (visibility != null && !VISIBILITIES.contains(visibility)) {
            throw new IllegalArgumentException("SLIPWAY_OPENSTACK_RELEASE_VISIBILITY must be one of " + VISIBILITIES
                    + " or unset: " + visibility);
        }
        this.promoter = promoter;
        this.visibility = visibility;
    }

    @Override
    public ReleasedVm promote(String runId, String imageId, List<String> tags) {
        try {
            PublishedVmImage published = promoter.promote(new VmPromotion(runId, imageId, tags, visibility, Map.of()));
            return new ReleasedVm(published.imageServiceUrl(), published.name(), published.imageId(), published.tags());
        } catch (VmImageException e) {
            if (e.reason() == VmFailureReason.INFRASTRUCTURE) {
                throw new TransientFailure("Glance unavailable while promoting VM image " + imageId + ": "
                        + e.getMessage(), e);
            }
            String excerpt = e.logExcerpt() == null || e.logExcerpt().isEmpty() ? null : e.logExcerpt();
            throw new PromotionFailed(reason(e.reason()), "Promoting VM image " + imageId + " in Glance failed: "
                    + e.getMessage(), excerpt);
        }
    }

    static Reason reason(VmFailureReason reason) {
        return switch (reason) {
            case CONFIG_INVALID -> Reason.CONFIG_INVALID;
            case IMAGE_NOT_FOUND -> Reason.IMAGE_NOT_FOUND;
            case IMAGE_MISMATCH -> Reason.IMAGE_MISMATCH;
            case QUOTA_EXCEEDED -> Reason.QUOTA_EXCEEDED;
            case TIMEOUT -> Reason.TIMEOUT;
            // Not raised by a promotion; kept distinct from the container reasons all the same.
            case SERVER_ERROR, PROVISION_FAILED, SNAPSHOT_FAILED, INFRASTRUCTURE -> Reason.SERVER_ERROR;
        };
    }
}

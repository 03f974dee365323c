package io.slipway.openstack;

import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.openstack.image.v2.domain.PatchOperation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Glance v2 calls the VM stages make. Updates are idempotent: properties are written with a JSON-patch
 * {@code add} (which overwrites in the v2.1 patch media type) only where they differ, tags with
 * {@code PUT /v2/images/{id}/tags/{tag}} only where missing.
 */
final class Glance {

    private final OpenStackCloud cloud;

    Glance(OpenStackCloud cloud) {
        this.cloud = cloud;
    }

    /** The image, or empty when Glance does not know it. */
    Optional<Image> get(String id) {
        return Optional.ofNullable(cloud.poller().retry("reading image " + id,
                () -> cloud.client().imagesV2().get(id)));
    }

    /** Polls until the image is active; killed, deleted or vanished images fail with SNAPSHOT_FAILED. */
    Image awaitActive(String id, Duration timeout) {
        return cloud.poller().until("image " + id + " becoming active", timeout, () -> {
            Image image = Optional.ofNullable(cloud.client().imagesV2().get(id)).orElseThrow(() ->
                    new VmImageException(VmFailureReason.SNAPSHOT_FAILED, "image " + id + " disappeared"));
            return switch (image.getStatus()) {
                case ACTIVE -> Optional.of(image);
                case KILLED, DELETED, PENDING_DELETE, DEACTIVATED -> throw new VmImageException(
                        VmFailureReason.SNAPSHOT_FAILED, "image " + id + " is " + image.getStatus().value()
                        + " instead of active: Glance could not store the snapshot");
                default -> Optional.empty();
            };
        });
    }

    /**
     * Images matching Glance list filters (tags, status, properties), up to 1000 (one page; Glance's default
     * {@code api_limit_max}); callers re-check what they rely on, in case a cloud ignores a filter.
     */
    List<? extends Image> find(Map<String, String> filters) {
        Map<String, String> query = new HashMap<>(filters);
        query.putIfAbsent("limit", "1000");
        return cloud.poller().retry("listing images " + filters, () -> cloud.client().imagesV2().list(query));
    }

    /** Sets {@code properties} and, when not null, {@code visibility}, patching only what differs. */
    Image update(Image image, Map<String, String> properties, String visibility) {
        List<PatchOperation> ops = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (!Objects.equals(value, image.getAdditionalPropertyValue(key))) {
                ops.add(new PatchOperation(PatchOperation.OperationType.ADD,
                        "/" + key.replace("~", "~0").replace("/", "~1"), value));
            }
        });
        if (visibility != null && !visibility.equals(visibility(image.getId()))) {
            ops.add(new PatchOperation(PatchOperation.OperationType.REPLACE, "/visibility", visibility));
        }
        if (ops.isEmpty()) {
            return image;
        }
        return cloud.poller().retry("updating image " + image.getId(), () -> {
            cloud.client();
            return new GlanceCalls().patch(image.getId(), ops);
        });
    }

    /** The image's visibility (private, shared, community, public) as Glance states it. */
    String visibility(String id) {
        return cloud.poller().retry("reading image " + id, () -> {
            cloud.client();
            return new GlanceCalls().visibility(id);
        });
    }

    /** Adds the tags the image does not carry yet. */
    void tag(Image image, Collection<String> tags) {
        for (String tag : tags) {
            if (image.getTags() == null || !image.getTags().contains(tag)) {
                act("tagging image " + image.getId() + " " + tag, false,
                        () -> cloud.client().imagesV2().updateTag(image.getId(), tag));
            }
        }
    }

    void untag(String id, String tag) {
        act("removing tag " + tag + " from image " + id, true, () -> cloud.client().imagesV2().deleteTag(id, tag));
    }

    /** Deletes the image; an unknown image counts as deleted. */
    void delete(String id) {
        act("deleting image " + id, true, () -> cloud.client().imagesV2().delete(id));
    }

    private void act(String action, boolean goneIsDone, Supplier<ActionResponse> call) {
        cloud.poller().retry(action, () -> OpenStackErrors.check(action, call.get(), goneIsDone));
    }
}

package io.slipway.openstack;

import org.openstack4j.core.transport.ClientConstants;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.openstack.image.v2.domain.GlanceImage;
import org.openstack4j.openstack.image.v2.domain.GlanceImageUpdate;
import org.openstack4j.openstack.image.v2.domain.PatchOperation;
import org.openstack4j.openstack.image.v2.internal.BaseImageServices;

import java.util.List;
import java.util.Map;

/**
 * Two Glance v2 calls openstack4j 3.12 gets wrong, made through its own transport and the session it bound to the
 * calling thread. {@code ImageService.update} sets the JSON-patch media type as a header, which the okhttp connector
 * replaces with {@code application/json} (Glance answers 415); and its image model reads the visibilities
 * {@code shared} and {@code community} as "unknown".
 */
final class GlanceCalls extends BaseImageServices {

    /** {@code PATCH /v2/images/{id}} with {@code application/openstack-images-v2.1-json-patch}. */
    Image patch(String imageId, List<PatchOperation> ops) {
        return patch(GlanceImage.class, uri("/images/%s", imageId))
                .entity(new GlanceImageUpdate(ops))
                .contentType(ClientConstants.CONTENT_TYPE_IMAGE_V2_PATCH)
                .execute();
    }

    /** The image's visibility as Glance states it, or null for an unknown image. */
    String visibility(String imageId) {
        Map<?, ?> image = get(Map.class, uri("/images/%s", imageId)).execute();
        return image == null ? null : String.valueOf(image.get("visibility"));
    }
}

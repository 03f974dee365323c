package io.slipway.deliverer.domain;

import java.util.List;

/**
 * Port to the image service VM images live in (Glance): promotes a tested VM image in place (it keeps its id) with
 * the release tags the run may hold. Idempotent: promoting the same image again changes nothing. Business failures
 * are {@link PromotionFailed}; an unreachable or failing image service throws a transient failure worth retrying.
 */
public interface VmImages {

    /** Adds {@code tags} to image {@code imageId} built by run {@code runId}, moving each from the repository's other images. */
    ReleasedVm promote(String runId, String imageId, List<String> tags);

    /** A promoted VM image: the image service's URL, the image's name and id, and every tag it now has. */
    record ReleasedVm(String imageServiceUrl, String name, String imageId, List<String> tags) {

        public ReleasedVm {
            tags = List.copyOf(tags);
        }
    }
}

package io.slipway.deliverer.domain;

import java.util.List;
import java.util.Optional;

/**
 * Port to the OCI registries: copies an image by digest from one repository to another without a Docker daemon,
 * tags it, and reads back what a reference resolves to. Business failures are {@link PromotionFailed}; a registry
 * that is unreachable, slow or answering 5xx makes any method throw a transient failure that is worth retrying.
 */
public interface ImageRegistry {

    /** Copies the manifest {@code digest} and every blob it references from {@code source} to {@code target}, untagged. */
    Promotion copy(ImageRef source, String digest, ImageRef target);

    /** Points every tag of {@code target} at the manifest {@code digest}, which {@link #copy} put there. */
    void tag(ImageRef target, String digest, List<String> tags);

    /** The digest of the manifest a tag or digest of {@code image} resolves to, computed from its bytes. */
    Optional<String> digestOf(ImageRef image, String reference);

    /** What a copy did: blobs the target already had, blobs mounted from another repository, blobs uploaded. */
    record Promotion(int blobsPresent, int blobsMounted, int blobsUploaded, long bytesUploaded) {
    }
}

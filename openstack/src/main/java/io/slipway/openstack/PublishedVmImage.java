package io.slipway.openstack;

import java.util.List;

/**
 * A promoted VM image, as {@code ArtifactPublished} needs it: registry = {@link #imageServiceUrl}, repository =
 * {@link #name}, digest = {@link #imageId}, tags = {@link #tags}.
 *
 * @param contentHash Glance's {@code os_hash_algo:os_hash_value} (or {@code md5:checksum} on older clouds), may be null
 */
public record PublishedVmImage(String imageId, String name, String imageServiceUrl, List<String> tags,
                               String visibility, String contentHash) {

    public PublishedVmImage {
        tags = List.copyOf(tags);
    }
}

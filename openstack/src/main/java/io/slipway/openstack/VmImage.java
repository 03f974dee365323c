package io.slipway.openstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A VM image the builder left in Glance. For {@code ImageBuilt} (kind VM): registry = {@link #imageServiceUrl},
 * repository = {@link #name}, digest = {@link #imageId}.
 *
 * @param properties the Glance properties Slipway set (revision, source, run id, ...)
 */
public record VmImage(String imageId, String name, String imageServiceUrl, Map<String, String> properties,
                      List<String> tags, Duration buildDuration) {

    public VmImage {
        properties = Map.copyOf(properties);
        tags = List.copyOf(tags);
    }
}

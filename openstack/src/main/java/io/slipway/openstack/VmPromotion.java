package io.slipway.openstack;

import java.util.List;
import java.util.Map;

/**
 * Promote the tested VM image {@code imageId} of run {@code runId}: add {@code tags} (sha, branch, semver,
 * {@code latest} — the deliverer's tag policy), set {@code properties}, and set {@code visibility} (private, shared,
 * community or public; null leaves it as it is).
 */
public record VmPromotion(String runId, String imageId, List<String> tags, String visibility,
                          Map<String, String> properties) {

    public VmPromotion {
        tags = List.copyOf(tags);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}

package io.slipway.deliverer.adapter.dryrun;

import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.ImageRegistry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dry-run backend's registry ({@code SLIPWAY_DRY_RUN=true}): copies and tags are remembered in memory and
 * nothing is sent anywhere, so the deliverer's own work — tag rules, precedence, its ledger on Kafka, the
 * {@code ArtifactPublished} — is all that the pipeline benchmark measures. Never for real images.
 */
public final class DryRunRegistry implements ImageRegistry {

    private final Map<String, String> references = new ConcurrentHashMap<>();

    @Override
    public Promotion copy(ImageRef source, String digest, ImageRef target) {
        references.put(key(target, digest), digest);
        return new Promotion(0, 0, 0, 0);
    }

    @Override
    public void tag(ImageRef target, String digest, List<String> tags) {
        tags.forEach(tag -> references.put(key(target, tag), digest));
    }

    @Override
    public Optional<String> digestOf(ImageRef image, String reference) {
        return Optional.ofNullable(references.get(key(image, reference)));
    }

    private static String key(ImageRef image, String reference) {
        return image.registry() + "/" + image.repository() + "@" + reference;
    }
}

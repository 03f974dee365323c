package io.slipway.deliverer.domain;

import java.util.List;

/** What delivering a tested artifact came to. */
public sealed interface Outcome {

    /** The digest is in every target under these tags (primary target first); {@code ArtifactPublished} each. */
    record Published(String digest, List<String> tags, List<Publication> publications) implements Outcome {
    }

    /** The delivery cannot succeed as it is; {@code BuildFailed} at stage DELIVER. */
    record Failed(PromotionFailed.Reason reason, String message, String detail) implements Outcome {
    }

    /** This run attempt already has an outcome; nothing is published again. */
    record AlreadyDelivered(DeliveryLedger.Delivered earlier) implements Outcome {
    }

    /** One target the digest was published to, and what copying it cost. */
    record Publication(ImageRef target, ImageRegistry.Promotion promotion) {
    }
}

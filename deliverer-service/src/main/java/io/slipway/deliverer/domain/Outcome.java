package io.slipway.deliverer.domain;

import java.util.List;

/** What delivering a tested artifact came to. */
public sealed interface Outcome {

    /**
     * The digest is in every target under these tags (primary target first); {@code ArtifactPublished} each. For a VM
     * image ({@code vm}) the digest is the Glance image id, the one target is the image service URL and image name,
     * and the tags are every tag the image has.
     */
    record Published(String digest, List<String> tags, List<Publication> publications, boolean vm) implements Outcome {

        public Published(String digest, List<String> tags, List<Publication> publications) {
            this(digest, tags, publications, false);
        }
    }

    /** The delivery cannot succeed as it is; {@code BuildFailed} at stage DELIVER. */
    record Failed(PromotionFailed.Reason reason, String message, String detail) implements Outcome {
    }

    /**
     * The run tests a pull or merge request ({@code request}, as shown, or its ref): its run ends at TEST, so nothing
     * is copied, tagged or published, and no event is emitted.
     */
    record NotReleased(String request) implements Outcome {
    }

    /** This run attempt already has an outcome; nothing is published again. */
    record AlreadyDelivered(DeliveryLedger.Delivered earlier) implements Outcome {
    }

    /** One target the digest was published to, and what copying it cost. */
    record Publication(ImageRef target, ImageRegistry.Promotion promotion) {
    }
}

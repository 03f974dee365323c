package io.slipway.deliverer.domain;

import java.util.List;
import java.util.Optional;

/**
 * Port to the deliverer's durable memory: which run holds each release tag (so a late run cannot move it back)
 * and which run attempts already have an outcome (so a redelivered {@code TestsPassed} publishes nothing twice).
 * A write returns once it is durable.
 */
public interface DeliveryLedger {

    /** The run a tag of a release repository was last moved to. */
    record TagHolder(String runId, int attempt, String digest, Precedence precedence) {
    }

    /** The outcome already emitted for a run attempt: {@code PUBLISHED} or the failure reason, and the tags pushed. */
    record Delivered(String runId, int attempt, String outcome, String digest, List<String> tags) {
    }

    Optional<TagHolder> holder(ImageRef release, String tag);

    void recordTag(ImageRef release, String tag, TagHolder holder);

    Optional<Delivered> delivered(String runId, int attempt);

    void recordDelivered(Delivered delivered);
}

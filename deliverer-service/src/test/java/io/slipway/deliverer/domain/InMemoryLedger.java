package io.slipway.deliverer.domain;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link DeliveryLedger} in a map, for tests of the domain without Kafka. */
public final class InMemoryLedger implements DeliveryLedger {

    public final Map<String, TagHolder> tags = new HashMap<>();
    public final Map<String, Delivered> runs = new HashMap<>();

    @Override
    public Optional<TagHolder> holder(ImageRef release, String tag) {
        return Optional.ofNullable(tags.get(release + ":" + tag));
    }

    @Override
    public void recordTag(ImageRef release, String tag, TagHolder holder) {
        tags.put(release + ":" + tag, holder);
    }

    @Override
    public Optional<Delivered> delivered(String runId, int attempt) {
        return Optional.ofNullable(runs.get(runId + "/" + attempt));
    }

    @Override
    public void recordDelivered(Delivered delivered) {
        runs.put(delivered.runId() + "/" + delivered.attempt(), delivered);
    }
}

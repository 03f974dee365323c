package io.slipway.dashboard.store;

import org.apache.avro.specific.SpecificRecord;

/**
 * One consumed record as the projection takes it: where it was read, its key, and its decoded event. {@code event} is
 * null for a tombstone, and for a record already dead-lettered, whose offset only is stored ({@code skip}).
 */
public record ProjectedRecord(String topic, int partition, long offset, String key, SpecificRecord event,
                              boolean skip) {

    /** A decoded record (or a tombstone, event null) to apply. */
    public static ProjectedRecord of(String topic, int partition, long offset, String key, SpecificRecord event) {
        return new ProjectedRecord(topic, partition, offset, key, event, false);
    }

    /** A record that was dead-lettered: nothing to apply, its offset is stored all the same. */
    public static ProjectedRecord skipped(String topic, int partition, long offset) {
        return new ProjectedRecord(topic, partition, offset, null, null, true);
    }
}

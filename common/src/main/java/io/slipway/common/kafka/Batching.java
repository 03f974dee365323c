package io.slipway.common.kafka;

/** How a stage worker groups the records it takes into Kafka transactions. */
public enum Batching {
    /** Light work: all records of one poll in one transaction (trigger intake, deliverer, notifier routing; build
     * and test on the dry-run backend, which do no work). */
    PER_POLL,
    /** Long work (build, test, deploy): each record its own transaction, begun when the record is taken. */
    PER_RECORD
}

package io.slipway.common.kafka;

import java.util.List;

/**
 * The records a stage takes: its consumer group, which is also the prefix of its transactional ids, its topics, the
 * workers each instance runs, and how many records share one transaction.
 *
 * @param group    consumer group (also the transactional.id prefix)
 * @param topics   the topics the stage consumes
 * @param threads  workers per instance, each with its own consumer and transactional producer
 * @param batching how records are grouped into transactions
 */
public record StageSubscription(String group, List<String> topics, int threads, Batching batching) {

    public StageSubscription {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("a stage subscription needs a consumer group");
        }
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("the stage subscription of " + group + " names no topic");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("the stage " + group + " needs at least one worker, got " + threads);
        }
        if (batching == null) {
            throw new IllegalArgumentException("the stage subscription of " + group + " has no batching");
        }
        topics = List.copyOf(topics);
    }
}

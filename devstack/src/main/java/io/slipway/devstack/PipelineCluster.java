package io.slipway.devstack;

import io.slipway.schemas.Topics;
import org.apache.kafka.common.config.TopicConfig;

import java.util.Map;

/**
 * What the platform team does to a secured Slipway cluster before any service starts, since no service may create
 * topics there: makes the ACLs exactly {@link PipelineAcls#bindings()} and creates every topic of
 * {@link Topics#allTopics()} with its dead-letter topic (the state topics compacted, as the services' TopicInitializer
 * makes them). Safe to repeat on every start.
 */
public final class PipelineCluster {

    private PipelineCluster() {
    }

    /** Sets the ACLs and creates the missing topics with {@code partitions} partitions each. */
    public static void provision(EmbeddedKafka kafka, int partitions) {
        kafka.replaceAcls(PipelineAcls.bindings());
        Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        for (String topic : Topics.allTopics()) {
            kafka.createTopic(topic, partitions, Topics.COMPACTED.contains(topic) ? compact : Map.of());
            kafka.createTopic(Topics.deadLetter(topic), partitions, Map.of());
        }
    }
}

package io.slipway.deliverer.messaging;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.slipway.common.messaging.TopicsAtStartup;
import io.slipway.schemas.Topics;
import jakarta.annotation.PostConstruct;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Makes {@code slipway.deliverer.state} a compacted topic once {@link TopicsAtStartup} has created it, so the
 * latest record of each tag and run is kept forever. Where the platform team manages topics
 * ({@code slipway.kafka.create-topics=false}) it must create this topic with {@code cleanup.policy=compact}.
 */
@Context
@Requires(property = "slipway.kafka.create-topics", notEquals = "false")
public class StateTopicCompaction {

    private final KafkaDefaultConfiguration kafka;

    StateTopicCompaction(KafkaDefaultConfiguration kafka, TopicsAtStartup topicsCreated) {
        this.kafka = kafka;
    }

    @PostConstruct
    void compact() throws Exception {
        Properties props = new Properties();
        props.putAll(kafka.getConfig());
        props.remove("health-timeout");
        try (Admin admin = Admin.create(props)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DELIVERER_STATE);
            AlterConfigOp compact = new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(compact))).all().get(30, TimeUnit.SECONDS);
        }
    }
}

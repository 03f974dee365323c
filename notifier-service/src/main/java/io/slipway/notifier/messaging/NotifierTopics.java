package io.slipway.notifier.messaging;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.TopicInitializer;
import io.slipway.schemas.Topics;
import jakarta.annotation.PostConstruct;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the notifier's own topics at start-up, each with its {@code .dlq}: the delivery queue and the state topic,
 * which is made compacted (also when another tool created it), so the latest memory per key is kept forever.
 * Off with {@code slipway.kafka.create-topics=false}; the platform team must then create both, the state compacted.
 */
@Context
@Requires(property = "slipway.kafka.create-topics", notEquals = "false")
public class NotifierTopics {

    private final KafkaDefaultConfiguration kafka;
    private final SlipwayKafkaProperties settings;

    NotifierTopics(KafkaDefaultConfiguration kafka, SlipwayKafkaProperties settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    @PostConstruct
    void create() {
        try (Admin admin = Admin.create(NotifierKafka.base(kafka, "notifier-service-admin"))) {
            new TopicInitializer(admin, settings.partitions(), settings.replicationFactor())
                    .ensureTopics(List.of(Topics.NOTIFIER_DELIVERIES, Topics.NOTIFIER_STATE), settings.startupTimeout());
            AlterConfigOp compact = new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.NOTIFIER_STATE),
                    List.of(compact))).all().get(settings.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring " + Topics.NOTIFIER_STATE, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not make " + Topics.NOTIFIER_STATE + " compacted: " + e.getMessage(), e);
        }
    }
}

package io.slipway.common.messaging;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.TopicInitializer;
import io.slipway.schemas.Topics;
import jakarta.annotation.PostConstruct;
import org.apache.kafka.clients.admin.Admin;

import java.util.Properties;

/**
 * Creates every topic of {@link Topics#allTopics()} and its dead-letter topic when a service starts, before its
 * listeners subscribe (a {@code @Context} bean is initialised before Micronaut starts the Kafka consumers); the
 * state topics of {@link Topics#COMPACTED} are made compacted. Turn off with {@code slipway.kafka.create-topics=false}
 * where topics are managed by the platform team.
 */
@Context
@Requires(property = "slipway.kafka.create-topics", notEquals = "false")
public class TopicsAtStartup {

    private final KafkaDefaultConfiguration kafka;
    private final SlipwayKafkaProperties settings;

    TopicsAtStartup(KafkaDefaultConfiguration kafka, SlipwayKafkaProperties settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    @PostConstruct
    void createTopics() {
        Properties props = new Properties();
        props.putAll(kafka.getConfig());
        props.remove("health-timeout");
        try (Admin admin = Admin.create(props)) {
            new TopicInitializer(admin, settings.partitions(), settings.replicationFactor())
                    .ensureTopics(Topics.allTopics(), settings.startupTimeout());
        }
    }
}

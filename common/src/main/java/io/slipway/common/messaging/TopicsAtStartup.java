package io.slipway.common.messaging;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TopicInitializer;
import io.slipway.schemas.Topics;
import jakarta.annotation.PostConstruct;
import org.apache.kafka.clients.admin.Admin;

/**
 * Creates every topic of {@link Topics#allTopics()} and its dead-letter topic when a service starts, before its
 * listeners subscribe (a {@code @Context} bean is initialised before Micronaut starts the Kafka consumers); the
 * state topics of {@link Topics#COMPACTED} are made compacted. Turn off with {@code slipway.kafka.create-topics=false}
 * where topics are managed by the platform team.
 */
@Context
@Requires(property = "slipway.kafka.create-topics", notEquals = "false")
public class TopicsAtStartup {

    private final KafkaClients clients;
    private final SlipwayKafkaProperties settings;
    private final String service;

    TopicsAtStartup(KafkaClients clients, SlipwayKafkaProperties settings,
                    @Value("${micronaut.application.name:slipway}") String service) {
        this.clients = clients;
        this.settings = settings;
        this.service = service;
    }

    @PostConstruct
    void createTopics() {
        try (Admin admin = clients.admin(service + "-topics")) {
            new TopicInitializer(admin, settings.partitions(), settings.replicationFactor())
                    .ensureTopics(Topics.allTopics(), settings.startupTimeout());
        }
    }
}

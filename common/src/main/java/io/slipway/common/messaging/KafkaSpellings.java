package io.slipway.common.messaging;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.slipway.common.kafka.KafkaClients;
import jakarta.inject.Singleton;

/**
 * Leaves one spelling of each Kafka client property in the service's {@code kafka.*} configuration, before Micronaut's
 * listeners and producers or {@link KafkaClients} read it: a setting from an environment variable such as
 * {@code KAFKA_SASL_MECHANISM} otherwise also reaches every client as {@code sasl-mechanism}, an unknown property.
 */
@Singleton
class KafkaSpellings implements BeanCreatedEventListener<KafkaDefaultConfiguration> {

    @Override
    public KafkaDefaultConfiguration onCreated(BeanCreatedEvent<KafkaDefaultConfiguration> event) {
        KafkaClients.dropSpellingVariants(event.getBean().getConfig());
        return event.getBean();
    }
}

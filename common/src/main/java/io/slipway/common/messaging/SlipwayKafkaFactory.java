package io.slipway.common.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.slipway.common.config.SchemaRegistryProperties;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.DeadLetterPublisher;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.KafkaDeadLetterPublisher;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.RetryBudget;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.serde.AvroEventSerializer;
import io.slipway.schemas.registry.RegistrySettings;
import io.slipway.schemas.registry.SchemaRegistryClient;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the Kafka plumbing every service shares. Every raw client comes from {@link KafkaClients}: connection and
 * security settings (bootstrap servers, TLS, SASL) from Micronaut's {@code kafka.*} configuration, so a service joins
 * a secured cluster by configuration alone; durability settings (idempotence, acks=all) cannot be weakened.
 */
@Factory
public class SlipwayKafkaFactory {

    /** Retry settings the time budget replaced, as an operator would have set each one. */
    private static final Map<String, String> REPLACED_RETRY_SETTINGS = Map.of(
            "slipway.kafka.retry-attempts", "SLIPWAY_KAFKA_RETRY_ATTEMPTS",
            "slipway.build.retry.attempts", "SLIPWAY_BUILD_RETRY_ATTEMPTS",
            "slipway.builder.retry.attempts", "slipway.builder.retry.attempts in application.yml",
            "slipway.notifier.retry.attempts", "SLIPWAY_NOTIFIER_RETRY_ATTEMPTS",
            "slipway.notifier.retry.max-attempts", "slipway.notifier.retry.max-attempts in application.yml");

    /**
     * Every raw Kafka client of the service is made by this, from the service's {@code kafka.*} configuration; its
     * consumers' fetch wait is {@code slipway.kafka.fetch-max-wait-ms} unless {@code kafka.fetch.max.wait.ms} is set.
     */
    @Singleton
    KafkaClients kafkaClients(KafkaDefaultConfiguration kafka, SlipwayKafkaProperties settings) {
        return KafkaClients.of(kafka.getConfig()).withConsumerDefaults(
                Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(settings.fetchMaxWaitMs())));
    }

    /** Publishes events; the producer is private to it (Micronaut Kafka's own Producer beans match any name). */
    @Singleton
    @Bean(preDestroy = "close")
    EventPublisher eventPublisher(KafkaClients clients, SchemaRegistryClient registry,
                                  SchemaRegistryProperties registrySettings, SlipwayKafkaProperties settings,
                                  @Value("${micronaut.application.name:slipway}") String service) {
        AvroEventSerializer serializer = new AvroEventSerializer(registry, registrySettings.autoRegister());
        StringSerializer keys = new StringSerializer();
        return new EventPublisher(clients.producer(service + "-events", keys, serializer), keys, serializer,
                settings.sendTimeout());
    }

    @Singleton
    @Bean(preDestroy = "close")
    KafkaDeadLetterPublisher deadLetterPublisher(KafkaClients clients, SlipwayKafkaProperties settings,
                                                 @Value("${micronaut.application.name:slipway}") String service) {
        Producer<byte[], byte[]> producer = clients.producer(service + "-dead-letters", new ByteArraySerializer(),
                new ByteArraySerializer());
        return new KafkaDeadLetterPublisher(producer, service, settings.sendTimeout(), Clock.systemUTC());
    }

    /** One registry client per service, so serializer and deserializer share its schema and id caches. */
    @Singleton
    SchemaRegistryClient schemaRegistryClient(SchemaRegistryProperties registry) {
        RegistrySettings settings = RegistrySettings.of(registry.url());
        if (registry.userInfo() != null && !registry.userInfo().isBlank()) {
            settings = settings.withBasicAuth(registry.userInfo());
        }
        return new SchemaRegistryClient(settings);
    }

    @Singleton
    @Named("slipway-events")
    Deserializer<SpecificRecord> eventDeserializer(SchemaRegistryClient registry) {
        return new AvroEventDeserializer(registry);
    }

    /**
     * The service's retry budget; a service configured with a retry setting the budget replaced does not start.
     * {@link StageLoops} checks it against each stage's poll interval and transaction timeout.
     */
    @Singleton
    RetryBudget retryBudget(SlipwayKafkaProperties settings, Environment environment) {
        REPLACED_RETRY_SETTINGS.forEach((property, setting) -> {
            if (environment.containsProperty(property)) {
                throw new ConfigurationException(setting + " is no longer read: a record is now "
                        + "retried for a time, not a number of attempts. Set a retry budget instead, a duration such as "
                        + "2m: the stage's own variable or SLIPWAY_KAFKA_RETRY_BUDGET (see \"When retries are used up\" "
                        + "in the README)");
            }
        });
        return new RetryBudget(settings.retryBudget(), settings.retryInitialBackoff(), settings.retryMaxBackoff());
    }

    /** The record pipeline with the service's retry budget. */
    @Singleton
    RecordPipeline recordPipeline(@Named("slipway-events") Deserializer<SpecificRecord> deserializer,
                                  DeadLetterPublisher deadLetters, RetryBudget budget, MeterRegistry meters,
                                  RetriesAtShutdown atShutdown) {
        RecordPipeline pipeline = new RecordPipeline(deserializer, deadLetters, budget, meters);
        atShutdown.add(pipeline);
        return pipeline;
    }
}

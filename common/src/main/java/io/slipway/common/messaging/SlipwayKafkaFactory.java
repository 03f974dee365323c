package io.slipway.common.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.slipway.common.config.SchemaRegistryProperties;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.DeadLetterPublisher;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.KafkaDeadLetterPublisher;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.RetryPolicy;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.serde.AvroEventSerializer;
import io.slipway.schemas.registry.RegistrySettings;
import io.slipway.schemas.registry.SchemaRegistryClient;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;

/**
 * Builds the Kafka plumbing every service shares. Every raw client comes from {@link KafkaClients}: connection and
 * security settings (bootstrap servers, TLS, SASL) from Micronaut's {@code kafka.*} configuration, so a service joins
 * a secured cluster by configuration alone; durability settings (idempotence, acks=all) cannot be weakened.
 */
@Factory
public class SlipwayKafkaFactory {

    /** Every raw Kafka client of the service is made by this, from the service's {@code kafka.*} configuration. */
    @Singleton
    KafkaClients kafkaClients(KafkaDefaultConfiguration kafka) {
        return KafkaClients.of(kafka.getConfig());
    }

    /** Publishes events; the producer is private to it (Micronaut Kafka's own Producer beans match any name). */
    @Singleton
    @Bean(preDestroy = "close")
    EventPublisher eventPublisher(KafkaClients clients, SchemaRegistryClient registry,
                                  SchemaRegistryProperties registrySettings, SlipwayKafkaProperties settings,
                                  @Value("${micronaut.application.name:slipway}") String service) {
        AvroEventSerializer serializer = new AvroEventSerializer(registry, registrySettings.autoRegister());
        return new EventPublisher(clients.producer(service + "-events", new StringSerializer(), serializer),
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

    @Singleton
    RecordPipeline recordPipeline(@Named("slipway-events") Deserializer<SpecificRecord> deserializer,
                                  DeadLetterPublisher deadLetters, SlipwayKafkaProperties settings,
                                  MeterRegistry meters) {
        RetryPolicy retry = new RetryPolicy(settings.retryAttempts(), settings.retryInitialBackoff(),
                settings.retryMaxBackoff());
        return new RecordPipeline(deserializer, deadLetters, retry, meters);
    }
}

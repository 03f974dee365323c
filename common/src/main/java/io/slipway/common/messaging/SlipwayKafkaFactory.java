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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.util.Properties;

/**
 * Builds the Kafka clients every service shares. Connection and security settings (bootstrap servers, TLS, SASL)
 * come from Micronaut's {@code kafka.*} configuration, so a service joins a secured cluster by configuration alone;
 * durability settings (idempotence, acks=all) are fixed here and cannot be weakened by configuration.
 */
@Factory
public class SlipwayKafkaFactory {

    /** Publishes events; the producer is private to it (Micronaut Kafka's own Producer beans match any name). */
    @Singleton
    @Bean(preDestroy = "close")
    EventPublisher eventPublisher(KafkaDefaultConfiguration kafka, SchemaRegistryClient registry,
                                  SchemaRegistryProperties registrySettings, SlipwayKafkaProperties settings,
                                  @Value("${micronaut.application.name:slipway}") String service) {
        AvroEventSerializer serializer = new AvroEventSerializer(registry, registrySettings.autoRegister());
        return new EventPublisher(new KafkaProducer<>(durableProducer(kafka, service + "-events"),
                new StringSerializer(), serializer), settings.sendTimeout());
    }

    @Singleton
    @Bean(preDestroy = "close")
    KafkaDeadLetterPublisher deadLetterPublisher(KafkaDefaultConfiguration kafka, SlipwayKafkaProperties settings,
                                                 @Value("${micronaut.application.name:slipway}") String service) {
        Producer<byte[], byte[]> producer = new KafkaProducer<>(durableProducer(kafka, service + "-dead-letters"),
                new ByteArraySerializer(), new ByteArraySerializer());
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

    private static Properties durableProducer(KafkaDefaultConfiguration kafka, String clientId) {
        Properties props = new Properties();
        props.putAll(kafka.getConfig());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.remove("health-timeout");
        return props;
    }
}

package io.slipway.common.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
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
import io.slipway.schemas.serde.SerdeConfig;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the Kafka clients every service shares. Connection and security settings (bootstrap servers, TLS, SASL)
 * come from Micronaut's {@code kafka.*} configuration, so a service joins a secured cluster by configuration alone;
 * durability settings (idempotence, acks=all) are fixed here and cannot be weakened by configuration.
 */
@Factory
public class SlipwayKafkaFactory {

    @Singleton
    @Named("slipway-events")
    @io.micronaut.context.annotation.Bean(preDestroy = "close")
    Producer<String, SpecificRecord> eventProducer(KafkaDefaultConfiguration kafka, SchemaRegistryProperties registry,
                                                   @Value("${micronaut.application.name:slipway}") String service) {
        AvroEventSerializer serializer = new AvroEventSerializer();
        serializer.configure(serdeConfig(registry), false);
        return new KafkaProducer<>(durableProducer(kafka, service + "-events"), new StringSerializer(), serializer);
    }

    @Singleton
    @Named("slipway-dead-letters")
    @io.micronaut.context.annotation.Bean(preDestroy = "close")
    Producer<byte[], byte[]> deadLetterProducer(KafkaDefaultConfiguration kafka,
                                                @Value("${micronaut.application.name:slipway}") String service) {
        return new KafkaProducer<>(durableProducer(kafka, service + "-dead-letters"), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Singleton
    EventPublisher eventPublisher(@Named("slipway-events") Producer<String, SpecificRecord> producer,
                                  SlipwayKafkaProperties settings) {
        return new EventPublisher(producer, settings.sendTimeout());
    }

    @Singleton
    DeadLetterPublisher deadLetterPublisher(@Named("slipway-dead-letters") Producer<byte[], byte[]> producer,
                                            SlipwayKafkaProperties settings,
                                            @Value("${micronaut.application.name:slipway}") String service) {
        return new KafkaDeadLetterPublisher(producer, service, settings.sendTimeout(), Clock.systemUTC());
    }

    @Singleton
    @Named("slipway-events")
    Deserializer<SpecificRecord> eventDeserializer(SchemaRegistryProperties registry) {
        AvroEventDeserializer deserializer = new AvroEventDeserializer();
        deserializer.configure(serdeConfig(registry), false);
        return deserializer;
    }

    @Singleton
    RecordPipeline recordPipeline(@Named("slipway-events") Deserializer<SpecificRecord> deserializer,
                                  DeadLetterPublisher deadLetters, SlipwayKafkaProperties settings,
                                  MeterRegistry meters) {
        RetryPolicy retry = new RetryPolicy(settings.retryAttempts(), settings.retryInitialBackoff(),
                settings.retryMaxBackoff());
        return new RecordPipeline(deserializer, deadLetters, retry, meters);
    }

    static Map<String, Object> serdeConfig(SchemaRegistryProperties registry) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        config.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, registry.autoRegister());
        if (registry.userInfo() != null && !registry.userInfo().isBlank()) {
            config.put(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            config.put(SerdeConfig.BASIC_AUTH_USER_INFO, registry.userInfo());
        }
        return config;
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

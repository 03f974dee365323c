package io.slipway.notifier.messaging;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Properties;

/**
 * Client settings for the notifier's own Kafka clients: connection and security from Micronaut's {@code kafka.*}
 * (like every Slipway client), durability fixed here (idempotent producer, acks=all), consumers that commit by hand,
 * read committed records only and never create topics.
 */
final class NotifierKafka {

    private NotifierKafka() {
    }

    static Properties base(KafkaDefaultConfiguration kafka, String clientId) {
        Properties props = new Properties();
        props.putAll(kafka.getConfig());
        props.remove("health-timeout");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    static Producer<String, String> producer(KafkaDefaultConfiguration kafka, String clientId) {
        Properties props = base(kafka, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static Properties consumer(KafkaDefaultConfiguration kafka, String clientId, String groupId) {
        Properties props = base(kafka, clientId);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        return props;
    }
}

package io.slipway.bench;

import io.slipway.common.kafka.KafkaClients;
import org.apache.kafka.clients.CommonClientConfigs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client settings the harness connects with: a client properties file as Kafka's own tools take it
 * ({@code --command-config}; on the dev stack {@code credentials/kafka-ops.properties}, which logs in and may only read),
 * and the bootstrap servers given on the command line, which win over the file's.
 */
final class KafkaSettings {

    private KafkaSettings() {
    }

    /**
     * The settings for {@code bootstrap}, with every property of {@code clientProperties} when it is not null.
     *
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    static Map<String, Object> of(String bootstrap, Path clientProperties) {
        Map<String, Object> settings = new HashMap<>();
        if (clientProperties != null) {
            try {
                settings.putAll(KafkaClients.fromFile(clientProperties));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Kafka client properties file " + clientProperties, e);
            }
        }
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Map.copyOf(settings);
    }
}

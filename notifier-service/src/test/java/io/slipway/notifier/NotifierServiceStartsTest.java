package io.slipway.notifier;

import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.slipway.common.testing.ServiceStartsContract;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The notifier-service starts, creates its topics, and answers on /health and /prometheus. */
class NotifierServiceStartsTest extends ServiceStartsContract {

    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void reportsItsChannelWorkersOnHealth() {
        assertThat(client.toBlocking().retrieve(withToken("/health"), String.class)).contains("\"notifier-channels\":{\"name\":\"notifier-service\",\"status\":\"UP\"");
    }

    @Test
    void createsItsDeliveryQueueAndACompactedStateTopicEachWithADeadLetterTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedDevStack.get().bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(Topics.NOTIFIER_DELIVERIES,
                    Topics.deadLetter(Topics.NOTIFIER_DELIVERIES), Topics.NOTIFIER_STATE, Topics.deadLetter(Topics.NOTIFIER_STATE));
            ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, Topics.NOTIFIER_STATE);
            assertThat(admin.describeConfigs(List.of(state)).all().get(30, TimeUnit.SECONDS).get(state)
                    .get("cleanup.policy").value()).isEqualTo("compact");
        }
    }
}

package io.slipway.trigger.messaging;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.testing.TopicReader;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.trigger.WebhookClient;
import io.slipway.trigger.domain.RunLedger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The intake's transaction aborted after a run was emitted and recorded: the run leaves the ledger with the
 * transaction, so the candidate, decided again, starts it, and a read-committed reader sees it exactly once.
 */
class IntakeAbortThroughKafkaTest {

    private final SharedDevStack stack = SharedDevStack.get();
    private final AvroEventDeserializer deserializer =
            new AvroEventDeserializer(new SchemaRegistryClient(stack.registryUrl()));
    private ApplicationContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aRunWhoseTransactionWasAbortedIsStartedAgainAndCommittedOnce() {
        Map<String, Object> config = WebhooksThroughKafkaTest.triggerConfig(stack);
        config.put("test.intake.hand-back-first-run", "true");
        context = ApplicationContext.run(config);
        WebhookClient client = new WebhookClient(context.getBean(EmbeddedServer.class).start().getURI());
        HandingBackObserver observer = context.getBean(HandingBackObserver.class);
        String repository = "test/aborted-" + UUID.randomUUID().toString().substring(0, 8);
        String sha = WebhooksThroughKafkaTest.sha();

        HttpResponse<String> response = client.pushGeneric(repository, "refs/heads/main", sha, "aborted once");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        // Redoing the aborted poll waits out the fetch the broker holds for the worker (up to the 5 s fetch wait).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committedRunsOf(repository)).hasSize(1));
        assertThat(observer.handedBack()).as("the first decision was handed back").isEqualTo(1);
        assertThat(observer.started()).as("decided again as a new run, not as a duplicate of itself").isEqualTo(2);
        assertThat(observer.deduplicated()).isZero();
        RunLedger ledger = context.getBean(RunLedger.class);
        await().untilAsserted(() -> assertThat(ledger.unconfirmed()).as("read back from the topic").isZero());
        assertThat(committedRunsOf(repository)).singleElement()
                .satisfies(event -> assertThat(event.getRun().getCommit().getSha()).isEqualTo(sha));
    }

    /** What a read-committed reader sees; whether the aborted emission reached the log depends on timing. */
    private List<CommitReceived> committedRunsOf(String repository) {
        List<CommitReceived> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readToEnd(
                Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), Topics.COMMITS,
                "read_committed")) {
            if (decoded(record) instanceof CommitReceived event
                    && event.getRun().getRepository().getFullName().equals(repository)) {
                events.add(event);
            }
        }
        return events;
    }

    private SpecificRecord decoded(ConsumerRecord<byte[], byte[]> record) {
        try {
            return deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException unreadable) {
            return null;
        }
    }
}

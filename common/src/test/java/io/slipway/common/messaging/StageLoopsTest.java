package io.slipway.common.messaging;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.slipway.common.kafka.Batching;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.RecordPipeline;
import io.slipway.common.kafka.StageListener;
import io.slipway.common.kafka.StageSubscription;
import io.slipway.common.kafka.WhenExhausted;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.liveness.Vital;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.common.testing.TopicReader;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.CommitReceived;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.Commit;
import io.slipway.schemas.Topics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service's stage in a real Micronaut context against the real broker: {@link StageLoops} starts its worker, whose
 * transactional id carries the configured instance id, its outputs reach a read_committed reader once each, and its
 * heartbeat is part of the service's liveness.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StageLoopsTest implements TestPropertyProvider {

    private static final String INPUT = "test.stage-in." + UUID.randomUUID();
    private static final String OUTPUT = "test.stage-out." + UUID.randomUUID();
    private static final String GROUP = "stage-loops-test-" + UUID.randomUUID();

    @Inject
    EventPublisher publisher;

    @Inject
    KafkaClients clients;

    @Inject
    Heartbeats heartbeats;

    @Override
    public Map<String, String> getProperties() {
        SharedDevStack stack = SharedDevStack.get();
        stack.createTopic(INPUT, 1);
        stack.createTopic(Topics.deadLetter(INPUT), 1);
        stack.createTopic(OUTPUT, 1);
        Map<String, String> props = new HashMap<>(SlipwayTestProperties.against(stack));
        props.put("stage-loops-test.input", INPUT);
        props.put("stage-loops-test.output", OUTPUT);
        props.put("stage-loops-test.group", GROUP);
        props.put("slipway.kafka.instance-id", "loops-test-1");
        return props;
    }

    /** Forwards each commit to the output topic, through the record pipeline as a stage does. */
    @Singleton
    @Requires(property = "stage-loops-test.input")
    static class ForwardingStage implements StageListener {

        private final RecordPipeline pipeline;
        private final EventPublisher publisher;
        private final StageSubscription subscription;
        private final String output;

        ForwardingStage(RecordPipeline pipeline, EventPublisher publisher,
                        @Value("${stage-loops-test.group}") String group,
                        @Value("${stage-loops-test.input}") String input,
                        @Value("${stage-loops-test.output}") String output) {
            this.pipeline = pipeline;
            this.publisher = publisher;
            this.output = output;
            this.subscription = new StageSubscription(group, List.of(input), 2, Batching.PER_POLL);
        }

        @Override
        public StageSubscription subscription() {
            return subscription;
        }

        @Override
        public void receive(ConsumerRecord<byte[], byte[]> record) {
            pipeline.process(record, CommitReceived.class, event -> publisher.publish(output, event),
                    WhenExhausted.deadLetter());
        }
    }

    @Test
    void theStagesWorkersForwardEachRecordOnceUnderTheInstancesTransactionalIdsAndBeatTheirHeartbeats()
            throws Exception {
        for (int i = 0; i < 10; i++) {
            publisher.publish(INPUT, commit("org/app-" + i));
        }

        await().atMost(Duration.ofSeconds(60))
                .until(() -> TopicReader.readToEnd(clients.settings(), OUTPUT, "read_committed").size() >= 10);
        assertThat(TopicReader.readToEnd(clients.settings(), OUTPUT, "read_committed"))
                .extracting(record -> new String(record.key()))
                .containsExactlyInAnyOrder("org/app-0", "org/app-1", "org/app-2", "org/app-3", "org/app-4",
                        "org/app-5", "org/app-6", "org/app-7", "org/app-8", "org/app-9");
        try (Admin admin = clients.admin("stage-loops-test")) {
            assertThat(admin.listTransactions().all().get(30, TimeUnit.SECONDS))
                    .extracting(TransactionListing::transactionalId)
                    .contains(GROUP + ".loops-test-1.0");
        }
        assertThat(heartbeats.vitals()).filteredOn(vital -> vital.name().startsWith("stage " + GROUP))
                .hasSize(2).allMatch(Vital::alive);
    }

    private static CommitReceived commit(String repository) {
        Instant now = Instant.parse("2026-12-07T03:00:00Z");
        RunContext run = RunContext.newBuilder().setRunId("run-" + repository).setAttempt(1)
                .setRepository(Repository.newBuilder().setFullName(repository)
                        .setCloneUrl("https://example.org/" + repository + ".git").build())
                .setCommit(Commit.newBuilder().setSha("a".repeat(40)).setRef("refs/heads/main").setMessage("m")
                        .setAuthorName("A").setTimestamp(now).build())
                .setTriggeredAt(now).build();
        return CommitReceived.newBuilder().setEventId("e-" + repository).setRun(run).setSource("generic")
                .setEmittedAt(now).build();
    }
}

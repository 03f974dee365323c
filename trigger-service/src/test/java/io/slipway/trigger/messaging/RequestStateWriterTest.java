package io.slipway.trigger.messaging;

import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.requests.KafkaRequestStates;
import io.slipway.trigger.domain.RequestStatus;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's own states, answered until the reader has caught up, against the intake's transactions: what an
 * aborted transaction wrote is forgotten, what earlier transactions wrote is kept. Nothing is read back here (the
 * reader is never started), so every answer is the writer's own.
 */
class RequestStateWriterTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final String HEAD = "d".repeat(40);

    private final AtomicLong transaction = new AtomicLong(1);
    private final KafkaRequestStates states = new KafkaRequestStates(
            KafkaClients.of(Map.of("bootstrap.servers", "127.0.0.1:9")), "test-requests", null,
            new Heartbeats(Clock.systemUTC()));
    private final EventPublisher publisher = new EventPublisher(
            new MockProducer<String, SpecificRecord>(true, new StringSerializer(), (topic, event) -> new byte[0]),
            Duration.ofSeconds(5));
    private final RequestStateWriter writer = new RequestStateWriter(publisher, states, transaction::get);

    @AfterEach
    void close() {
        states.close();
    }

    @Test
    void theStatesWrittenInAnAbortedTransactionAreForgottenAndTheEarlierOnesAnswerAgain() {
        writer.put(status(5, true, AT));
        transaction.set(2);
        writer.put(status(5, false, AT.plusSeconds(1)));
        writer.put(status(6, true, AT.plusSeconds(2)));

        writer.forgetUncommitted(2);

        assertThat(writer.get("org/app", 5)).hasValueSatisfying(state -> assertThat(state.open()).isTrue());
        assertThat(writer.get("org/app", 6)).isEmpty();
    }

    @Test
    void anAbortOfAnotherTransactionKeepsWhatTheLatestOneWrote() {
        writer.put(status(5, true, AT));
        transaction.set(2);
        writer.put(status(5, false, AT.plusSeconds(1)));

        writer.forgetUncommitted(1);

        assertThat(writer.get("org/app", 5)).hasValueSatisfying(state -> assertThat(state.open()).isFalse());
    }

    private static RequestStatus status(int number, boolean open, Instant updatedAt) {
        return new RequestStatus("org/app", number, open, HEAD, 1234, false, null, updatedAt);
    }
}

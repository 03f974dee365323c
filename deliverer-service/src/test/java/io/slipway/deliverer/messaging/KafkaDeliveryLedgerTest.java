package io.slipway.deliverer.messaging;

import io.slipway.common.kafka.CompactedTopicStore;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.testing.TestClock;
import io.slipway.deliverer.domain.DeliveryLedger.Delivered;
import io.slipway.deliverer.domain.DeliveryLedger.TagHolder;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.Precedence;
import io.slipway.devstack.testing.SharedDevStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery ledger on the real broker keeps what its rule needs: an outcome while its TestsPassed can come again
 * (then it is deleted from the topic too, so a restarted ledger does not know it either), a tag holder for good.
 */
class KafkaDeliveryLedgerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofDays(7);
    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    private final SharedDevStack stack = SharedDevStack.get();
    private final KafkaClients clients = KafkaClients.of(Map.of("bootstrap.servers", stack.bootstrapServers()));
    private final String topic = stack.uniqueTopic("test.deliverer.state");
    private final TestClock clock = new TestClock(START);
    private final List<KafkaDeliveryLedger> opened = new ArrayList<>();

    KafkaDeliveryLedgerTest() {
        stack.createTopic(topic, 2);
    }

    @AfterEach
    void close() {
        opened.forEach(KafkaDeliveryLedger::close);
    }

    private KafkaDeliveryLedger ledger() {
        KafkaDeliveryLedger ledger = new KafkaDeliveryLedger(new CompactedTopicStore<>(clients, topic,
                topic + "-" + opened.size(), CompactedTopicStore.Codec.utf8(), KafkaDeliveryLedger.VALUES, 1000, TIMEOUT),
                TIMEOUT, WINDOW, clock);
        opened.add(ledger);
        ledger.reload();
        return ledger;
    }

    private static Delivered delivered(String runId) {
        return new Delivered(runId, 1, "PUBLISHED", "sha256:" + "a".repeat(64), List.of("main"));
    }

    @Test
    void deletesOutcomesOlderThanTheWindowAndKeepsTagHolders() {
        KafkaDeliveryLedger ledger = ledger();
        ImageRef release = new ImageRef("registry.example", "org/app");
        TagHolder holder = new TagHolder("run-old", 1, "sha256:" + "a".repeat(64),
                new Precedence(1, 0, 0, 1, START, START, 1));
        ledger.recordTag(release, "1", holder);
        ledger.recordDelivered(delivered("run-old"));
        clock.advance(WINDOW.minusHours(1));
        ledger.recordDelivered(delivered("run-recent"));
        clock.advance(Duration.ofHours(2));

        assertThat(ledger.expireOutcomes()).isEqualTo(1);

        assertThat(ledger.delivered("run-old", 1)).isEmpty();
        assertThat(ledger.delivered("run-recent", 1)).isPresent();
        assertThat(ledger.holder(release, "1")).contains(holder);
        KafkaDeliveryLedger restarted = ledger();
        assertThat(restarted.delivered("run-old", 1)).as("deleted from the topic, not only from memory").isEmpty();
        assertThat(restarted.delivered("run-recent", 1)).isPresent();
        assertThat(restarted.holder(release, "1")).contains(holder);
    }

    @Test
    void recordingAnOutcomeSweepsAtMostOnceAnHour() {
        KafkaDeliveryLedger ledger = ledger();
        ledger.recordDelivered(delivered("run-a"));
        clock.advance(Duration.ofMinutes(30));
        ledger.recordDelivered(delivered("run-b"));
        clock.advance(WINDOW.minusMinutes(20));
        ledger.recordDelivered(delivered("run-c"));
        assertThat(ledger.delivered("run-a", 1)).as("swept: the last sweep was more than an hour ago").isEmpty();

        clock.advance(Duration.ofMinutes(30));
        ledger.recordDelivered(delivered("run-d"));
        assertThat(ledger.delivered("run-b", 1)).as("expired, but the last sweep was half an hour ago").isPresent();

        clock.advance(Duration.ofMinutes(31));
        ledger.recordDelivered(delivered("run-e"));
        assertThat(ledger.delivered("run-b", 1)).isEmpty();
        assertThat(ledger.delivered("run-e", 1)).isPresent();
    }
}

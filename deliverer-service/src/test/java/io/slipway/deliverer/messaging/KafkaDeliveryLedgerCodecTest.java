package io.slipway.deliverer.messaging;

import io.slipway.deliverer.domain.DeliveryLedger.Delivered;
import io.slipway.deliverer.domain.DeliveryLedger.TagHolder;
import io.slipway.deliverer.domain.Precedence;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaDeliveryLedgerCodecTest {

    private static final Instant COMMITTED = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aTagHolderKeepsItsSequenceThroughTheStateTopic() {
        TagHolder holder = new TagHolder("run-1", 2, "sha256:" + "a".repeat(64),
                new Precedence(1, 2, 3, 1_767_000_000_123L, COMMITTED, COMMITTED.plusSeconds(5), 2));

        KafkaDeliveryLedger.StateValue read = KafkaDeliveryLedger.decode(
                KafkaDeliveryLedger.encode(new KafkaDeliveryLedger.Tag(holder)));

        assertThat(read).isEqualTo(new KafkaDeliveryLedger.Tag(holder));
    }

    @Test
    void aTagHolderWrittenBeforeSequencesExistedReadsAsUnsequenced() {
        String written = "{\"runId\":\"run-0\",\"attempt\":1,\"digest\":\"sha256:00\",\"major\":0,\"minor\":0,"
                + "\"patch\":0,\"committedAt\":" + COMMITTED.toEpochMilli() + ",\"triggeredAt\":"
                + COMMITTED.plusSeconds(5).toEpochMilli() + "}";

        KafkaDeliveryLedger.StateValue read = KafkaDeliveryLedger.decode(written.getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(new KafkaDeliveryLedger.Tag(new TagHolder("run-0", 1, "sha256:00",
                new Precedence(0, 0, 0, Precedence.UNSEQUENCED, COMMITTED, COMMITTED.plusSeconds(5), 1))));
    }
    @Test
    void anOutcomeKeepsWhenItWasRecordedAndOneWrittenBeforeThatHasNoTime() {
        Delivered delivered = new Delivered("run-1", 1, "PUBLISHED", "sha256:" + "a".repeat(64), List.of("main"));
        KafkaDeliveryLedger.Run run = new KafkaDeliveryLedger.Run(delivered, COMMITTED);

        assertThat(KafkaDeliveryLedger.decode(KafkaDeliveryLedger.encode(run))).isEqualTo(run);
        String legacy = "{\"runId\":\"run-1\",\"attempt\":1,\"outcome\":\"PUBLISHED\",\"digest\":\"d\",\"tags\":[]}";
        assertThat(KafkaDeliveryLedger.decode(legacy.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new KafkaDeliveryLedger.Run(new Delivered("run-1", 1, "PUBLISHED", "d", List.of()), null));
    }
}

package io.slipway.deliverer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Value;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.CompactedTopicStore;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.deliverer.domain.DeliveryLedger;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.Precedence;
import io.slipway.schemas.Topics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link DeliveryLedger} kept in the compacted topic {@code slipway.deliverer.state}: JSON values under the keys
 * {@code tag/<registry>/<repository>:<tag>} and {@code run/<runId>/<attempt>}, each acknowledged by all in-sync
 * replicas before it counts (inside the listener's Kafka transaction: written with it, and forgotten again by
 * {@link #forgetUncommitted} when it aborts). {@link #reload} reads the topic on to its end; the listener calls it
 * whenever it is assigned partitions, so an instance taking over a repository knows what the previous owner did. A tag holder
 * written before runs carried an accepted sequence has no {@code sequence} and reads as unsequenced (0).
 * <p>
 * A run attempt's outcome is needed only while its {@code TestsPassed} can be delivered again, i.e. while it can
 * still be read from {@code slipway.tests}: Kafka deletes whole segments, so a record stays readable up to the
 * topic's {@code retention.ms} plus {@code segment.ms} after it was written, not just {@code retention.ms}. Outcomes
 * recorded longer than the outcome window ago are deleted (tombstones, so the topic stays bounded too), checked at
 * most once an hour; a {@code TestsPassed} re-read after that (offsets reset to the beginning) is delivered again. Tag holders are kept, since a tag's precedence holds for as long
 * as the tag exists; both are bounded in memory by the store's key cap.
 */
@Singleton
@Bean(preDestroy = "close")
public class KafkaDeliveryLedger implements DeliveryLedger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeliveryLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A state value: a tag's holder or a run attempt's outcome (a run value is the one with an outcome). */
    sealed interface StateValue {
    }

    record Tag(TagHolder holder) implements StateValue {
    }

    /** A run attempt's outcome and when it was recorded ({@code null} when written before outcomes expired). */
    record Run(Delivered delivered, Instant recordedAt) implements StateValue {
    }

    static final CompactedTopicStore.Codec<StateValue> VALUES = CompactedTopicStore.Codec.of(
            KafkaDeliveryLedger::encode, KafkaDeliveryLedger::decode);

    private static final Duration SWEEP_INTERVAL = Duration.ofHours(1);

    private final CompactedTopicStore<String, StateValue> state;
    private final Duration loadTimeout;
    private final Duration outcomeWindow;
    private final Clock clock;
    private final AtomicReference<Instant> nextSweep = new AtomicReference<>(Instant.MIN);

    @Inject
    KafkaDeliveryLedger(KafkaClients clients, SlipwayKafkaProperties settings,
                        @Value("${micronaut.application.name:deliverer-service}") String service,
                        @Value("${slipway.deliverer.outcome-window:7d}") Duration outcomeWindow, Clock clock) {
        this(new CompactedTopicStore<>(clients, Topics.DELIVERER_STATE, service + "-state",
                CompactedTopicStore.Codec.utf8(), VALUES, settings.stateMaxKeys(), settings.sendTimeout()),
                settings.startupTimeout(), outcomeWindow, clock);
    }

    KafkaDeliveryLedger(CompactedTopicStore<String, StateValue> state, Duration loadTimeout, Duration outcomeWindow,
                        Clock clock) {
        this.state = state;
        this.loadTimeout = loadTimeout;
        this.outcomeWindow = outcomeWindow;
        this.clock = clock;
    }

    @Override
    public Optional<TagHolder> holder(ImageRef release, String tag) {
        return state.get(tagKey(release, tag)).filter(Tag.class::isInstance).map(v -> ((Tag) v).holder());
    }

    @Override
    public void recordTag(ImageRef release, String tag, TagHolder holder) {
        state.put(tagKey(release, tag), new Tag(holder));
    }

    @Override
    public Optional<Delivered> delivered(String runId, int attempt) {
        return state.get(runKey(runId, attempt)).filter(Run.class::isInstance).map(v -> ((Run) v).delivered());
    }

    @Override
    public void recordDelivered(Delivered delivered) {
        state.put(runKey(delivered.runId(), delivered.attempt()), new Run(delivered, clock.instant()));
        Instant due = nextSweep.get();
        if (!clock.instant().isBefore(due) && nextSweep.compareAndSet(due, clock.instant().plus(SWEEP_INTERVAL))) {
            expireOutcomes();
        }
    }

    /**
     * Deletes the outcomes recorded longer than the outcome window ago (outcomes written before they carried a time
     * are left to the key cap).
     *
     * @return how many were deleted
     * @throws TransientFailure when the broker does not acknowledge a deletion
     */
    int expireOutcomes() {
        Instant cutoff = clock.instant().minus(outcomeWindow);
        List<String> expired = state.keys((key, value) -> value instanceof Run run && run.recordedAt() != null
                && run.recordedAt().isBefore(cutoff));
        expired.forEach(state::delete);
        if (!expired.isEmpty()) {
            LOG.info("Deleted {} delivery outcomes recorded before {} from {}", expired.size(), cutoff,
                    Topics.DELIVERER_STATE);
        }
        return expired.size();
    }

    /**
     * Reads what was written to the state topic since the last reload (the whole topic the first time).
     *
     * @throws TransientFailure when Kafka does not serve it in time
     */
    public void reload() {
        state.catchUp(loadTimeout);
        LOG.info("Delivery ledger read from {}: {} tags and delivered run attempts", Topics.DELIVERER_STATE,
                state.size());
    }

    /**
     * Forgets what a Kafka transaction that was then aborted wrote, by reading the state topic again from its
     * beginning: those writes were held at once, and the topic will never have them.
     *
     * @throws TransientFailure when Kafka does not serve it in time
     */
    public void forgetUncommitted() {
        state.reread(loadTimeout);
        LOG.info("Delivery ledger read again from {} after an aborted transaction: {} tags and delivered run attempts",
                Topics.DELIVERER_STATE, state.size());
    }

    private static String tagKey(ImageRef release, String tag) {
        return "tag/" + release + ":" + tag;
    }

    private static String runKey(String runId, int attempt) {
        return "run/" + runId + "/" + attempt;
    }

    static byte[] encode(StateValue value) {
        ObjectNode json = JSON.createObjectNode();
        if (value instanceof Tag tag) {
            TagHolder holder = tag.holder();
            Precedence p = holder.precedence();
            json.put("runId", holder.runId()).put("attempt", holder.attempt()).put("digest", holder.digest())
                    .put("major", p.major()).put("minor", p.minor()).put("patch", p.patch()).put("sequence", p.sequence())
                    .put("committedAt", p.committedAt().toEpochMilli()).put("triggeredAt", p.triggeredAt().toEpochMilli());
        } else if (value instanceof Run run) {
            Delivered delivered = run.delivered();
            json.put("runId", delivered.runId()).put("attempt", delivered.attempt())
                    .put("outcome", delivered.outcome()).put("digest", delivered.digest());
            if (run.recordedAt() != null) {
                json.put("recordedAt", run.recordedAt().toEpochMilli());
            }
            delivered.tags().forEach(json.putArray("tags")::add);
        }
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StateValue decode(byte[] bytes) {
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json.has("outcome")) {
            List<String> pushed = new ArrayList<>();
            json.path("tags").forEach(tag -> pushed.add(tag.asText()));
            return new Run(new Delivered(json.path("runId").asText(), json.path("attempt").asInt(),
                    json.path("outcome").asText(), json.path("digest").asText(), pushed),
                    json.has("recordedAt") ? Instant.ofEpochMilli(json.path("recordedAt").asLong()) : null);
        }
        return new Tag(new TagHolder(json.path("runId").asText(), json.path("attempt").asInt(),
                json.path("digest").asText(), new Precedence(json.path("major").asInt(), json.path("minor").asInt(),
                json.path("patch").asInt(), json.path("sequence").asLong(Precedence.UNSEQUENCED),
                Instant.ofEpochMilli(json.path("committedAt").asLong()),
                Instant.ofEpochMilli(json.path("triggeredAt").asLong()), json.path("attempt").asInt())));
    }

    @Override
    public void close() {
        state.close();
    }
}

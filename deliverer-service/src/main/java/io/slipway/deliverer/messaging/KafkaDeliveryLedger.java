package io.slipway.deliverer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Value;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.TopicScan;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.deliverer.domain.DeliveryLedger;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.Precedence;
import io.slipway.schemas.Topics;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link DeliveryLedger} kept in the compacted topic {@code slipway.deliverer.state}: JSON values under the keys
 * {@code tag/<registry>/<repository>:<tag>} and {@code run/<runId>/<attempt>}, each acknowledged by all in-sync
 * replicas before it counts. {@link #reload} reads the topic to its end; the listener calls it whenever it is
 * assigned partitions, so an instance taking over a repository knows what the previous owner did.
 */
@Singleton
@Bean(preDestroy = "close")
public class KafkaDeliveryLedger implements DeliveryLedger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeliveryLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Properties consumerConfig = new Properties();
    private final Producer<String, String> producer;
    private final Duration sendTimeout;
    private final Duration loadTimeout;
    private final Map<String, TagHolder> tags = new ConcurrentHashMap<>();
    private final Map<String, Delivered> runs = new ConcurrentHashMap<>();

    KafkaDeliveryLedger(KafkaDefaultConfiguration kafka, SlipwayKafkaProperties settings,
                        @Value("${micronaut.application.name:deliverer-service}") String service) {
        consumerConfig.putAll(kafka.getConfig());
        consumerConfig.remove("health-timeout");
        Properties producerConfig = new Properties();
        producerConfig.putAll(consumerConfig);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-state");
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, service + "-state-reader");
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        this.sendTimeout = settings.sendTimeout();
        this.loadTimeout = settings.startupTimeout();
    }

    @Override
    public Optional<TagHolder> holder(ImageRef release, String tag) {
        return Optional.ofNullable(tags.get(tagKey(release, tag)));
    }

    @Override
    public void recordTag(ImageRef release, String tag, TagHolder holder) {
        Precedence p = holder.precedence();
        ObjectNode json = JSON.createObjectNode().put("runId", holder.runId()).put("attempt", holder.attempt())
                .put("digest", holder.digest()).put("major", p.major()).put("minor", p.minor()).put("patch", p.patch())
                .put("committedAt", p.committedAt().toEpochMilli()).put("triggeredAt", p.triggeredAt().toEpochMilli());
        write(tagKey(release, tag), json);
        tags.put(tagKey(release, tag), holder);
    }

    @Override
    public Optional<Delivered> delivered(String runId, int attempt) {
        return Optional.ofNullable(runs.get(runKey(runId, attempt)));
    }

    @Override
    public void recordDelivered(Delivered delivered) {
        ObjectNode json = JSON.createObjectNode().put("runId", delivered.runId()).put("attempt", delivered.attempt())
                .put("outcome", delivered.outcome()).put("digest", delivered.digest());
        delivered.tags().forEach(json.putArray("tags")::add);
        write(runKey(delivered.runId(), delivered.attempt()), json);
        runs.put(runKey(delivered.runId(), delivered.attempt()), delivered);
    }

    /**
     * Reads the state topic from the beginning to its current end.
     *
     * @throws TransientFailure when Kafka does not serve it in time
     */
    public void reload() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            TopicScan.readToEnd(consumer, Topics.DELIVERER_STATE, loadTimeout, this::apply);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new TransientFailure("could not read " + Topics.DELIVERER_STATE + ": " + e.getMessage(), e);
        }
        LOG.info("Delivery ledger loaded from {}: {} tags, {} delivered run attempts", Topics.DELIVERER_STATE,
                tags.size(), runs.size());
    }

    private void apply(ConsumerRecord<String, String> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        if (record.value() == null) {
            tags.remove(key);
            runs.remove(key);
            return;
        }
        try {
            JsonNode json = JSON.readTree(record.value());
            if (key.startsWith("tag/")) {
                tags.put(key, new TagHolder(json.path("runId").asText(), json.path("attempt").asInt(),
                        json.path("digest").asText(), new Precedence(json.path("major").asInt(), json.path("minor").asInt(),
                        json.path("patch").asInt(), Instant.ofEpochMilli(json.path("committedAt").asLong()),
                        Instant.ofEpochMilli(json.path("triggeredAt").asLong()), json.path("attempt").asInt())));
            } else if (key.startsWith("run/")) {
                List<String> pushed = new ArrayList<>();
                json.path("tags").forEach(tag -> pushed.add(tag.asText()));
                runs.put(key, new Delivered(json.path("runId").asText(), json.path("attempt").asInt(),
                        json.path("outcome").asText(), json.path("digest").asText(), pushed));
            }
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable state record {}@{}: {}", key, record.offset(), e.getMessage());
        }
    }

    private void write(String key, ObjectNode value) {
        try {
            producer.send(new ProducerRecord<>(Topics.DELIVERER_STATE, key, value.toString()))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while writing " + key + " to " + Topics.DELIVERER_STATE, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientFailure("could not write " + key + " to " + Topics.DELIVERER_STATE + ": " + e.getMessage(), e);
        }
    }

    private static String tagKey(ImageRef release, String tag) {
        return "tag/" + release + ":" + tag;
    }

    private static String runKey(String runId, int attempt) {
        return "run/" + runId + "/" + attempt;
    }

    @Override
    public void close() {
        producer.close(sendTimeout);
    }
}

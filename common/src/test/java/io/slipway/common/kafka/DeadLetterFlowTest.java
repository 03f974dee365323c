package io.slipway.common.kafka;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.common.testing.TopicReader;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.CommitReceived;
import io.slipway.schemas.PoisonPayloads;
import io.slipway.schemas.Topics;
import io.slipway.schemas.serde.AvroEventSerializer;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through a real broker and registry: records that are not Slipway events in the wire format (among them the 10-byte
 * record declaring a 2,000,000,000-byte string) land in the
 * dead-letter topic, as received and with provenance headers, and the record after them is still processed.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterFlowTest implements TestPropertyProvider {

    private static final String TOPIC = "test.commits." + UUID.randomUUID();

    @Inject
    CommitsListener listener;

    @Override
    public Map<String, String> getProperties() {
        SharedDevStack stack = SharedDevStack.get();
        stack.createTopic(TOPIC, 1);
        stack.createTopic(Topics.deadLetter(TOPIC), 1);
        Map<String, String> props = new HashMap<>(SlipwayTestProperties.against(stack));
        props.put("dead-letter-flow-test.topic", TOPIC);
        return props;
    }

    @Requires(property = "dead-letter-flow-test.topic")
    @SlipwayListener("dead-letter-flow-test")
    static class CommitsListener {
        final List<CommitReceived> received = new CopyOnWriteArrayList<>();
        private final RecordPipeline pipeline;

        CommitsListener(RecordPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Topic("${dead-letter-flow-test.topic}")
        void on(ConsumerRecord<byte[], byte[]> record) {
            pipeline.process(record, CommitReceived.class, received::add, WhenExhausted.deadLetter());
        }
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheNextRecordIsStillProcessed() throws Exception {
        SharedDevStack stack = SharedDevStack.get();
        byte[] key = "org/app".getBytes(StandardCharsets.UTF_8);
        byte[] wrongMagic = {1, 0, 0, 0, 1, 2, 3};
        byte[] unknownId = ByteBuffer.allocate(8).put((byte) 0).putInt(987_654).put(new byte[]{2, 4, 6}).array();
        CommitReceived good = RecordPipelineTest.commitReceived();
        byte[] goodBytes;
        try (AvroEventSerializer serializer = new AvroEventSerializer()) {
            serializer.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
            goodBytes = serializer.serialize(TOPIC, good);
        }
        byte[] hugeString = PoisonPayloads.hugeString(PoisonPayloads.schemaIdOf(goodBytes));

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, wrongMagic)).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(TOPIC, key, unknownId)).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(TOPIC, key, hugeString)).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(TOPIC, key, goodBytes)).get(30, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> !listener.received.isEmpty());
        assertThat(listener.received).containsExactly(good);

        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAtLeast(stack.bootstrapServers(), Topics.deadLetter(TOPIC), 3);
        assertThat(dead).hasSize(3);
        assertThat(dead.get(0).value()).isEqualTo(wrongMagic);
        assertThat(dead.get(0).key()).isEqualTo(key);
        assertThat(header(dead.get(0), DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(TOPIC);
        assertThat(header(dead.get(0), DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
        assertThat(header(dead.get(0), DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(header(dead.get(0), DeadLetterHeaders.REASON)).isEqualTo("DESERIALIZATION");
        assertThat(header(dead.get(0), DeadLetterHeaders.EXCEPTION_CLASS)).contains("MagicByte");
        assertThat(header(dead.get(0), DeadLetterHeaders.SERVICE)).isNotBlank();
        assertThat(dead.get(1).value()).isEqualTo(unknownId);
        assertThat(header(dead.get(1), DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("1");
        assertThat(header(dead.get(1), DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("987654");
        assertThat(dead.get(2).value()).isEqualTo(hugeString);
        assertThat(header(dead.get(2), DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("2");
        assertThat(header(dead.get(2), DeadLetterHeaders.REASON)).isEqualTo("DESERIALIZATION");
        assertThat(header(dead.get(2), DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("SystemLimitException: String length 2000000000");
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

package io.slipway.devstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.devstack.support.PythonScripts;
import io.slipway.devstack.support.RegistryHttp;
import io.slipway.devstack.testing.SharedDevStack;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** decode_event.py, which other modules' tests use as an independent reader, decodes Confluent-wire-format records. */
class DecodeEventScriptTest {

    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"io.slipway.check\",\"fields\":["
            + "{\"name\":\"n\",\"type\":\"int\"},{\"name\":\"label\",\"type\":[\"null\",\"string\"],\"default\":null},"
            + "{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}";

    @Test
    void decodeEventPrintsEachRecordWithItsKeySchemaIdAndFields() throws Exception {
        SharedDevStack stack = SharedDevStack.get();
        String topic = stack.uniqueTopic("probes");
        stack.createTopic(topic, 2);
        int schemaId = new RegistryHttp(stack.registryUrl()).register(topic + "-value", SCHEMA);
        Schema schema = new Schema.Parser().parse(SCHEMA);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int n = 0; n < 3; n++) {
                GenericRecord record = new GenericData.Record(schema);
                record.put("n", n);
                record.put("label", n == 0 ? null : "probe-" + n);
                record.put("at", 1_700_000_000_000L);
                producer.send(new ProducerRecord<>(topic, "key-" + n, wireFormat(schemaId, schema, record))).get();
            }
        }

        PythonScripts.Result result = PythonScripts.runScript("decode_event.py", stack.bootstrapServers(), stack.registryUrl(), topic, "3");

        assertThat(result.exitCode()).as("decode_event.py failed: %s", result.stderr()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.stdout()) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line.get("schema_id").asInt()).isEqualTo(schemaId));
        assertThat(lines).extracting(line -> line.get("key").asText()).containsExactlyInAnyOrder("key-0", "key-1", "key-2");
        JsonNode second = lines.stream().filter(line -> line.get("key").asText().equals("key-1")).findFirst().orElseThrow();
        assertThat(second.at("/record/n").asInt()).isEqualTo(1);
        assertThat(second.at("/record/label").asText()).isEqualTo("probe-1");
        assertThat(second.at("/record/at").asText()).startsWith("2023-11-14 22:13:20");
    }

    /** Confluent's wire format: magic byte 0, the 4-byte schema id, then the Avro binary encoding. */
    private static byte[] wireFormat(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}

package io.slipway.devstack.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's state rules on an in-memory log, fed with records as a Confluent Schema Registry writes them. */
class SchemaStoreTest {

    private static final String STRING_V1_KEY = "{\"keytype\":\"SCHEMA\",\"subject\":\"Kafka-value\",\"version\":1,\"magic\":1}";

    /** An in-memory {@link SchemaLog}. */
    private static final class MemoryLog implements SchemaLog {
        final List<Map.Entry<String, String>> records = new ArrayList<>();

        @Override
        public void replay(BiConsumer<String, String> apply) {
            records.forEach(r -> apply.accept(r.getKey(), r.getValue()));
        }

        @Override
        public void append(String key, String value) {
            records.add(new AbstractMap.SimpleEntry<>(key, value));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void rebuildsStateFromConfluentRecordsSkippingKeyTypesItDoesNotUse() {
        MemoryLog log = new MemoryLog();
        log.append("{\"keytype\":\"NOOP\",\"magic\":0}", null);
        log.append(STRING_V1_KEY, "{\"subject\":\"Kafka-value\",\"version\":1,\"id\":41,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
        log.append("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}", "{\"compatibilityLevel\":\"FULL\"}");
        log.append("{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}", "{\"mode\":\"READWRITE\"}");
        SchemaStore store = new SchemaStore(log, new ObjectMapper());

        store.load();

        assertThat(store.schemaById(41)).isEqualTo("\"string\"");
        assertThat(store.version("Kafka-value", "latest").id()).isEqualTo(41);
        assertThat(store.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(store.register("other", "{\"type\":\"int\"}")).isEqualTo(42);
        assertThat(store.register("again", "{\"type\": \"string\"}")).isEqualTo(41);
    }

    @Test
    void tombstonesWrittenByConfluentRemoveAVersionAndASubjectConfig() {
        MemoryLog log = new MemoryLog();
        SchemaStore store = new SchemaStore(log, new ObjectMapper());
        store.register("Kafka-value", "\"string\"");
        store.register("Kafka-value", "\"string\"");
        store.setLevel("Kafka-value", CompatibilityLevel.NONE);
        log.append(STRING_V1_KEY, null);
        log.append("{\"keytype\":\"CONFIG\",\"subject\":\"Kafka-value\",\"magic\":0}", null);
        SchemaStore rebuilt = new SchemaStore(log, new ObjectMapper());

        rebuilt.load();

        assertThat(log.records).hasSize(4);
        assertThat(rebuilt.subjects(true)).isEmpty();
        assertThat(rebuilt.subjectLevel("Kafka-value")).isEmpty();
    }
}

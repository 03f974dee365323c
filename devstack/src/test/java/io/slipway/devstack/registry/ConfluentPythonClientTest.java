package io.slipway.devstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.devstack.support.PythonScripts;
import io.slipway.devstack.testing.SharedDevStack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Confluent's own Python SchemaRegistryClient (python3-confluent-kafka 1.7) against the devstack registry. */
class ConfluentPythonClientTest {

    @Test
    void confluentsPythonClientRegistersReadsBackAndGets409ForAnIncompatibleChange() throws Exception {
        SharedDevStack stack = SharedDevStack.get();
        String subject = stack.uniqueTopic("greetings") + "-value";

        PythonScripts.Result result = PythonScripts.runScript("registry_client_check.py", stack.registryUrl(), subject);

        assertThat(result.exitCode()).as("registry_client_check.py failed: %s", result.stderr()).isZero();
        JsonNode seen = new ObjectMapper().readTree(String.join("\n", result.stdout()));
        int id = seen.get("id").asInt();
        assertThat(seen.at("/latest/id").asInt()).isEqualTo(id);
        assertThat(seen.at("/latest/version").asInt()).isEqualTo(1);
        assertThat(seen.at("/schema_by_id/name").asText()).isEqualTo("Greeting");
        assertThat(seen.get("same_schema_same_id").asBoolean()).isTrue();
        assertThat(seen.get("compatible_change_accepted").asBoolean()).isTrue();
        assertThat(seen.get("incompatible_change_accepted").asBoolean()).isFalse();
        assertThat(seen.get("versions").toString()).isEqualTo("[1,2]");
        assertThat(seen.at("/incompatible/http_status_code").asInt()).isEqualTo(409);
        assertThat(seen.at("/incompatible/error_code").asInt()).isEqualTo(409);
        assertThat(seen.at("/unknown_id/http_status_code").asInt()).isEqualTo(404);
        assertThat(seen.at("/unknown_id/error_code").asInt()).isEqualTo(40403);
        assertThat(seen.get("subject_compatibility").asText()).isEqualTo("FULL");
        assertThat(seen.get("subjects_contain_subject").asBoolean()).isTrue();
    }
}

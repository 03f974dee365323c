package io.slipway.tester.messaging;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.events.BuildFailed;
import io.slipway.events.ImageBuilt;
import io.slipway.tester.domain.ImageRef;
import io.slipway.tester.support.StagedImages;
import io.slipway.tester.support.TesterRuns;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tester whose staging registry does not answer: the pull is retried through the record pipeline's budget, then
 * the run ends as a retryable {@code INFRASTRUCTURE} failure naming the registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnreachableRegistryThroughKafkaTest {

    private static final String NOWHERE = "127.0.0.1:1";

    private final TesterRuns runs = new TesterRuns();
    private final String instance = "unreachable-test-" + UUID.randomUUID().toString().substring(0, 8);
    private ApplicationContext tester;

    @TempDir
    static Path reports;

    @BeforeAll
    void start() {
        Map<String, Object> config = runs.config(instance, reports, LoopbackPorts.free());
        config.put("slipway.tester.staging-registry", NOWHERE);
        tester = ApplicationContext.run(config);
        tester.getBean(EmbeddedServer.class).start();
    }

    @AfterAll
    void stop() {
        tester.close();
    }

    @Test
    void anUnreachableRegistryEndsAsRetryableInfrastructureFailureAfterTheRetries() {
        ImageBuilt event = runs.publish(new ImageRef(NOWHERE, "staging/sample", StagedImages.get().sample().digest()));

        List<SpecificRecord> outcomes = runs.outcomesOf(event, Duration.ofSeconds(90));

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(BuildFailed.class, failed -> {
            assertThat(failed.getReasonCode()).isEqualTo("INFRASTRUCTURE");
            assertThat(failed.getRetryable()).isTrue();
            assertThat(failed.getMessage()).contains("still failing after retrying for").contains(NOWHERE);
        });
    }
}

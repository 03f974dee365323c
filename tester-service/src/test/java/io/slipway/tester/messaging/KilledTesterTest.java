package io.slipway.tester.messaging;

import io.micronaut.context.ApplicationContext;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.events.ImageBuilt;
import io.slipway.events.TestsPassed;
import io.slipway.tester.Application;
import io.slipway.tester.support.StagedImages;
import io.slipway.tester.support.TesterRuns;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tester killed (SIGKILL) while a test container runs leaves that container and an uncommitted record behind;
 * the next tester with the same instance id sweeps the container at start-up, re-consumes the record and
 * completes the run.
 */
class KilledTesterTest {

    private final StagedImages staged = StagedImages.get();
    private final TesterRuns runs = new TesterRuns();
    private final String instance = "killed-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path reports;

    private Process startTesterProcess(Map<String, Object> config) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(Application.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", instance + ".log").toFile()).start();
    }

    @Test
    void aRestartedTesterSweepsWhatTheKilledOneLeftAndCompletesTheRun() throws Exception {
        int port = LoopbackPorts.free();
        Map<String, Object> config = runs.config(instance, reports, port);
        Process killed = startTesterProcess(config);
        List<String> leftovers;
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            ImageBuilt event = runs.publish(staged.sample(), "slow.yaml");
            await().atMost(Duration.ofSeconds(90)).until(() -> !staged.containersOf(instance).isEmpty());

            killed.destroyForcibly().waitFor();
            leftovers = staged.containersOf(instance);
            assertThat(leftovers).as("SIGKILL gives the tester no chance to clean up").isNotEmpty();

            config.put("micronaut.server.port", String.valueOf(LoopbackPorts.free()));
            try (ApplicationContext restarted = ApplicationContext.run(config)) {
                assertThat(staged.containersOf(instance)).as("swept at start-up").doesNotContainAnyElementsOf(leftovers);

                List<SpecificRecord> outcomes = runs.outcomesOf(event, Duration.ofSeconds(90));

                assertThat(outcomes).singleElement().isInstanceOf(TestsPassed.class);
                assertThat(((TestsPassed) outcomes.get(0)).getRun()).isEqualTo(event.getRun());
                await().atMost(Duration.ofSeconds(10)).until(() -> staged.containersOf(instance).isEmpty());
                assertThat(restarted.isRunning()).isTrue();
            }
        } finally {
            killed.destroyForcibly();
        }
    }
}

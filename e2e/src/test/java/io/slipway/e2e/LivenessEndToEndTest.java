package io.slipway.e2e;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Liveness under {@code ./slipway up}: the stage worker thread of a running tester-service is stopped from outside
 * (an agent loaded through the Attach API, as an uncaught error would end it; the service has no hook for it). Its
 * process lives on, but {@code /health} answers 503 at once, {@code ./slipway status} says DOWN and why,
 * {@code ./slipway up} restarts it, and a push then goes through the whole pipeline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivenessEndToEndTest {

    private static final String SERVICE = "tester-service";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SlipwayStack slipway;

    @BeforeAll
    void startSlipway() {
        slipway = SlipwayStack.start();
    }

    @AfterAll
    void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void aServiceWhoseStageWorkerThreadDiedIsDownUntilUpRestartsItAndThenARunCompletes() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> health() == 200);
        long pid = slipway.pid(SERVICE);

        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            vm.loadAgent(ListenerThreadKiller.jar(slipway.home()).toString());
        } finally {
            vm.detach();
        }

        assertThat(slipway.log(SERVICE)).contains("ListenerThreadKiller: stopping");
        // The tester's poll interval is an hour; a dead worker is reported as soon as its loop ends.
        await().atMost(Duration.ofSeconds(30)).until(() -> health() == 503);
        assertThat(ProcessHandle.of(pid)).get().satisfies(p -> assertThat(p.isAlive()).isTrue());
        String status = slipway.status();
        assertThat(status).containsPattern(SERVICE + " +" + pid + " +DOWN ")
                .containsPattern("reason: stage " + SERVICE + "-\\d+ thread died: java.lang.ThreadDeath");

        String up = slipway.upAgain();

        assertThat(up).contains("Restarting " + SERVICE + ": it runs but its health is DOWN (stage " + SERVICE + "-")
                .contains(SERVICE + ".down.log");
        assertThat(slipway.log(SERVICE + ".down")).containsPattern("stage worker " + SERVICE + "\\.\\S+ ended; the service is DOWN until it is restarted")
                .contains("java.lang.ThreadDeath");
        assertThat(slipway.pid(SERVICE)).isNotEqualTo(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(health()).isEqualTo(200);
        assertThat(slipway.status()).containsPattern(SERVICE + " +\\d+ +healthy ");

        SampleRepository.Push push = slipway.repository("e2e/liveness-app", false).push();
        slipway.events().awaitPublished(push.runId());
    }

    private int health() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slipway.port(SERVICE) + "/health"))
                .timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

package io.slipway.tester.messaging;

import io.micronaut.context.ApplicationContext;
import io.slipway.common.requests.RequestStates;
import io.slipway.common.testing.RequestRuns;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.BuildFailed;
import io.slipway.events.Commit;
import io.slipway.events.ImageBuilt;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.RunIds;
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
import static org.awaitility.Awaitility.await;

/**
 * Latest wins per pull request in the tester, through the real broker, schema registry, Docker engine and registry:
 * a state the trigger writes to {@code slipway.requests} (written here as it will) stops the running test of an older
 * head and removes its containers, and keeps the waiting test of a closed request from starting, while a push's test
 * runs to its end whatever the request states say.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaleRequestTestsThroughKafkaTest {

    /** A test that outlives every wait below unless it is stopped (the tester's own deadline is 60 s). */
    private static final String SLEEPS = "schemaVersion: '2.0.0'\ncommandTests:\n"
            + "- {name: 'waits for a long time', command: 'sleep', args: ['300']}\n";

    private final SharedDevStack stack = SharedDevStack.get();
    private final StagedImages staged = StagedImages.get();
    private final TesterRuns runs = new TesterRuns();
    private final String instance = "stale-" + UUID.randomUUID().toString().substring(0, 8);
    private ApplicationContext tester;

    @TempDir
    static Path reports;

    @BeforeAll
    void start() {
        tester = ApplicationContext.run(runs.config(instance, reports, LoopbackPorts.free()));
    }

    @AfterAll
    void stop() {
        tester.close();
    }

    private static String repository() {
        return "test/pr-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sha() {
        return UUID.randomUUID().toString().replace("-", "") + "00000000";
    }

    @Test
    void aNewerHeadStopsTheRunningTestOfTheOlderHeadAndRemovesItsContainers() {
        String repository = repository();
        String newerHead = sha();
        RunContext older = RequestRuns.run(repository, "https://git.example.org/" + repository + ".git", 3, sha(), 500);
        ImageBuilt event = runs.publish(older, staged.sample(), Map.of("tests/sleeps.yaml", SLEEPS));
        await().atMost(Duration.ofSeconds(90)).until(() -> !staged.containersOf(instance).isEmpty());

        RequestRuns.write(stack, RequestRuns.state(repository, 3, true, newerHead, 501));

        List<SpecificRecord> outcomes = runs.outcomesOf(event, Duration.ofSeconds(40));
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(BuildFailed.class, failed -> {
            assertThat(failed.getRun()).isEqualTo(older);
            assertThat(failed.getStage()).isEqualTo(Stage.TEST);
            assertThat(failed.getReasonCode()).isEqualTo("SUPERSEDED");
            assertThat(failed.getRetryable()).isFalse();
            assertThat(failed.getMessage()).isEqualTo("Superseded: request #3 got head " + newerHead.substring(0, 12)
                    + "; its test was stopped.");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(staged.containersOf(instance))
                .as("the stopped test's containers are removed").isEmpty());
    }

    @Test
    void aWaitingTestOfAClosedRequestNeverStartsWhileThePushTestAheadOfItRuns() {
        String repository = repository();
        RunContext request = RequestRuns.run(repository, "https://git.example.org/" + repository + ".git", 4, sha(),
                600);
        String pushSha = sha();
        RunContext push = RunContext.newBuilder(request).setRequest(null)
                .setRunId(RunIds.runId(repository, pushSha, "refs/heads/main")).build();
        push.setCommit(Commit.newBuilder(request.getCommit()).setSha(pushSha)
                .setRef("refs/heads/main").build());
        ImageBuilt pushed = runs.publish(push, staged.sample(), Map.of("tests/slow.yaml", StagedImages.suite("slow.yaml")));
        ImageBuilt waiting = runs.publish(request, staged.sample(), Map.of("tests/busybox_test.yaml",
                StagedImages.suite("busybox_test.yaml")));
        await().atMost(Duration.ofSeconds(90)).until(() -> !staged.containersOf(instance).isEmpty());

        RequestRuns.write(stack, RequestRuns.state(repository, 4, false, request.getCommit().getSha(), 601));
        await().atMost(Duration.ofSeconds(5)).until(() -> tester.getBean(RequestStates.class).get(repository, 4)
                .filter(state -> !state.getOpen()).isPresent());
        assertThat(staged.containersOf(instance)).as("the closed state was read while the test waited").isNotEmpty();

        assertThat(runs.outcomesOf(pushed, Duration.ofSeconds(60))).as("a push is no request's run")
                .singleElement().isInstanceOf(TestsPassed.class);
        assertThat(runs.outcomesOf(waiting, Duration.ofSeconds(60))).singleElement()
                .isInstanceOfSatisfying(BuildFailed.class, failed -> {
                    assertThat(failed.getStage()).isEqualTo(Stage.TEST);
                    assertThat(failed.getReasonCode()).isEqualTo("CANCELLED");
                    assertThat(failed.getRetryable()).isFalse();
                    assertThat(failed.getMessage()).isEqualTo("Request #4 was closed; its image was not tested.");
                    assertThat(failed.getLogExcerpt()).isNull();
                });
    }
}

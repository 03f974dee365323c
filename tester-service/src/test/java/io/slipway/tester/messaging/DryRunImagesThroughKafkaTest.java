package io.slipway.tester.messaging;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.micronaut.context.ApplicationContext;
import io.slipway.container.DockerEngine;
import io.slipway.container.SlipwayLabels;
import io.slipway.common.kafka.Batching;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.events.ImageBuilt;
import io.slipway.events.TestsPassed;
import io.slipway.tester.adapter.docker.DockerContainerEngine;
import io.slipway.tester.domain.DryRunTests;
import io.slipway.tester.domain.ImageRef;
import io.slipway.tester.domain.ImageTests;
import io.slipway.tester.domain.TesterService;
import io.slipway.tester.support.TesterRuns;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tester-service with {@code slipway.dry-run=true} through a real broker and schema registry: the dry-run backend
 * replaces the tester service, so an image in a registry nobody can reach, carrying a suite that would fail, still
 * becomes exactly one {@code TestsPassed} with no suites and no report, and no container of the instance is started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DryRunImagesThroughKafkaTest {

    private static final String NOWHERE = "127.0.0.1:1";

    @TempDir
    static Path reports;
    private final TesterRuns runs = new TesterRuns();
    private final String instance = "dry-run-test-" + UUID.randomUUID().toString().substring(0, 8);
    private ApplicationContext tester;

    @BeforeAll
    void start() {
        Map<String, Object> config = runs.config(instance, reports, LoopbackPorts.free());
        config.put("slipway.dry-run", "true");
        // A poll's images share one transaction: the budget must fit in it (the tester's own is a test run's, 10 min).
        config.put("slipway.kafka.retry-budget", "30s");
        tester = ApplicationContext.run(config);
    }

    @AfterAll
    void stop() {
        if (tester != null) {
            tester.close();
        }
    }

    /** Containers on the engine (running or not) that carry this tester instance's labels. */
    private List<Container> containersOfInstance() throws Exception {
        try (DockerClient docker = DockerEngine.connect(null, Duration.ofSeconds(30))) {
            return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(SlipwayLabels.MANAGED, "tester",
                    DockerContainerEngine.INSTANCE_LABEL, instance)).exec();
        }
    }

    @Test
    void replacesTheTesterServiceByTheDryRunBackend() {
        assertThat(tester.findBean(TesterService.class)).isEmpty();
        assertThat(tester.getBean(ImageTests.class)).isInstanceOf(DryRunTests.class);
        assertThat(tester.getBeansOfType(ImageTests.class)).hasSize(1);
    }

    @Test
    void givesAPollOfImagesOneTransactionSinceNothingIsTested() {
        assertThat(tester.getBean(ImagesListener.class).subscription().batching()).isEqualTo(Batching.PER_POLL);
    }

    @Test
    void aBurstOfImagesSharingTransactionsPassesEachExactlyOnce() {
        List<ImageBuilt> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(runs.publish(new ImageRef(NOWHERE, "staging/burst-" + i, "sha256:" + Integer.toString(i)
                    .repeat(64).substring(0, 64)), "failing_command.yaml"));
        }

        for (ImageBuilt event : events) {
            assertThat(runs.outcomesOf(event, Duration.ofSeconds(60))).singleElement()
                    .isInstanceOfSatisfying(TestsPassed.class, passed -> assertThat(passed.getRun())
                            .isEqualTo(event.getRun()));
        }
    }

    @Test
    void anImageNobodyCanPullPassesOnceWithNoSuitesNoReportAndNoContainer() throws Exception {
        ImageBuilt event = runs.publish(new ImageRef(NOWHERE, "staging/nowhere", "sha256:" + "0".repeat(64)),
                "failing_command.yaml");

        List<SpecificRecord> outcomes = runs.outcomesOf(event, Duration.ofSeconds(60));

        assertThat(outcomes).hasSize(1).first().isInstanceOf(TestsPassed.class);
        TestsPassed passed = (TestsPassed) outcomes.get(0);
        assertThat(passed.getRun()).isEqualTo(event.getRun());
        assertThat(passed.getImage()).isEqualTo(event.getImage());
        assertThat(passed.getDeploy()).isEqualTo(TesterRuns.DEPLOY_INTENT);
        assertThat(passed.getSuites()).isEmpty();
        assertThat(passed.getReportLocation()).isNull();
        assertThat(containersOfInstance()).isEmpty();
        try (Stream<Path> written = Files.walk(reports)) {
            assertThat(written.filter(Files::isRegularFile)).as("no report written").isEmpty();
        }
    }
}

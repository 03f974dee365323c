package io.slipway.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.dashboard.store.MetricsRows;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.Commit;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.Stage;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.SampleEvents;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DORA figures from a scripted history of events with known answers: the events go through Kafka into the dashboard's
 * projection, and the metrics JSON and page show what the history implies. All times are set relative to day D, three
 * UTC days ago, so the history lies inside the last 7 days whenever the test runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsFromEventsTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String APP = "dora/app-" + SUFFIX;
    private static final String WEB = "dora/web-" + SUFFIX;

    private final SharedDevStack stack = SharedDevStack.get();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Instant day = Instant.now().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
            .minusDays(3).toInstant();
    private EmbeddedServer server;
    private KafkaProducer<String, SpecificRecord> events;

    @BeforeAll
    void start() throws Exception {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("datasources.default.url", MetricsRows.memoryUrl());
        config.put("slipway.dashboard.production", "production");
        server = ApplicationContext.run(EmbeddedServer.class, config);
        events = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl())));
        for (SpecificRecord event : history()) {
            RunContext run = (RunContext) event.get(event.getSchema().getField("run").pos());
            events.send(new ProducerRecord<>(Topics.topicOf(event.getClass()), run.getRepository().getFullName(),
                    event)).get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stop() {
        events.close();
        server.close();
    }

    /**
     * The history, D = three days ago 00:00 UTC:
     * run A (app): committed D 08:00, pushed 09:00, built 09:05, tested 09:15, published 09:20, staging 09:30,
     * production 10:00 — lead time 2h (1h from the push);
     * run B (app): committed 11:00, pushed 11:30, built 11:40, tested 11:50, published 12:00, production 14:00
     * (3h), smoke check failed: rolled back to A at 14:10 with a BuildFailed SMOKE_FAILED;
     * run C (app): committed D+1 08:00, pushed 08:00, production 09:00 (1h): restores B's failure after 18h50m;
     * run F (app): the build failed (BUILD_ERROR) on D 15:00; run S (app): superseded, not a failure;
     * run E (web): committed D+1 00:00, production 10:00 (10h), its deployment failed there at 10:05 and nothing
     * restored it.
     */
    private List<SpecificRecord> history() {
        List<SpecificRecord> history = new ArrayList<>();
        RunContext a = run(APP, "a", at(0, 8, 0), at(0, 9, 0));
        RunContext b = run(APP, "b", at(0, 11, 0), at(0, 11, 30));
        RunContext c = run(APP, "c", at(1, 8, 0), at(1, 8, 0));
        RunContext f = run(APP, "f", at(0, 14, 0), at(0, 14, 30));
        RunContext s = run(APP, "s", at(0, 16, 0), at(0, 16, 0));
        RunContext e = run(WEB, "e", at(1, 0, 0), at(1, 0, 0));
        history.addAll(pipeline(a, at(0, 9, 5), at(0, 9, 15), at(0, 9, 20)));
        history.add(deployed(a, "staging", at(0, 9, 30), null));
        history.add(deployed(a, "production", at(0, 10, 0), null));
        history.addAll(pipeline(b, at(0, 11, 40), at(0, 11, 50), at(0, 12, 0)));
        history.add(deployed(b, "production", at(0, 14, 0), null));
        history.add(deployed(a, "production", at(0, 14, 10), b.getRunId()));
        history.add(failed(b, Stage.DEPLOY, "SMOKE_FAILED", "production", at(0, 14, 10)));
        history.add(commitReceived(c));
        history.add(deployed(c, "production", at(1, 9, 0), null));
        history.add(commitReceived(f));
        history.add(failed(f, Stage.BUILD, "BUILD_ERROR", null, at(0, 15, 0)));
        history.add(failed(s, Stage.BUILD, "SUPERSEDED", null, at(0, 16, 5)));
        history.add(commitReceived(e));
        history.add(deployed(e, "production", at(1, 10, 0), null));
        history.add(failed(e, Stage.DEPLOY, "DEPLOY_FAILED", "production", at(1, 10, 5)));
        return history;
    }

    @Test
    void metricsJsonShowsTheKnownAnswersOfTheHistory() {
        // The events come through several topics in no set order: wait until the last of them is applied.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode app = metrics(APP);
            JsonNode overall = app.get("overall");
            // A, B, C in production (the rollback is not a change): 3 in 7 days
            assertThat(overall.at("/deploymentFrequency/deployments").asInt()).isEqualTo(3);
            assertThat(overall.at("/deploymentFrequency/perDay").asDouble()).isEqualTo(3 / 7.0);
            // lead times 2h, 3h, 1h → nearest rank: median rank 2 = 2h, p95 rank 3 = 3h; from the push 1h, 2.5h, 1h
            assertThat(overall.at("/leadTime/fromCommitSeconds/median").asLong()).isEqualTo(2 * 3600);
            assertThat(overall.at("/leadTime/fromCommitSeconds/p95").asLong()).isEqualTo(3 * 3600);
            assertThat(overall.at("/leadTime/fromPushSeconds/median").asLong()).isEqualTo(3600);
            assertThat(overall.at("/leadTime/band").asText()).isEqualTo("high");
            // B failed: 1 of 3
            assertThat(overall.at("/changeFailureRate/failed").asInt()).isEqualTo(1);
            assertThat(overall.at("/changeFailureRate/rate").asDouble()).isEqualTo(1 / 3.0);
            // B's failure at D 14:10, restored by C at D+1 09:00: 18h50m = 67,800 s
            assertThat(overall.at("/timeToRestore/restored").asInt()).isEqualTo(1);
            assertThat(overall.at("/timeToRestore/medianSeconds").asLong()).isEqualTo(67_800);
            assertThat(overall.at("/timeToRestore/band").asText()).isEqualTo("high");
            // build: A 5m, B 10m → median 5m, p95 10m; deploy: A 10m (to staging), B 2h → median 10m, p95 2h
            assertThat(app.at("/pipeline/stageSeconds/build/median").asLong()).isEqualTo(300);
            assertThat(app.at("/pipeline/stageSeconds/build/p95").asLong()).isEqualTo(600);
            assertThat(app.at("/pipeline/stageSeconds/test/median").asLong()).isEqualTo(600);
            assertThat(app.at("/pipeline/stageSeconds/deliver/median").asLong()).isEqualTo(300);
            assertThat(app.at("/pipeline/stageSeconds/deploy/median").asLong()).isEqualTo(600);
            assertThat(app.at("/pipeline/stageSeconds/deploy/p95").asLong()).isEqualTo(7200);
            // BUILD_ERROR and SMOKE_FAILED once each; SUPERSEDED is a cancellation
            assertThat(app.at("/pipeline/failureReasons").toString()).isEqualTo(
                    "[{\"reason\":\"BUILD_ERROR\",\"count\":1},{\"reason\":\"SMOKE_FAILED\",\"count\":1}]");
            // D: A (2h) and B (3h) → median rank 1 = 2h; D+1: C (1h)
            JsonNode days = app.get("days");
            assertThat(days.get(3).get("deployments").asInt()).isEqualTo(2);
            assertThat(days.get(3).get("medianLeadTimeSeconds").asLong()).isEqualTo(2 * 3600);
            assertThat(days.get(4).get("deployments").asInt()).isEqualTo(1);
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode web = metrics(WEB).get("overall");
            // E failed in production and was never restored: in the failure rate, not in time to restore
            assertThat(web.at("/leadTime/fromCommitSeconds/median").asLong()).isEqualTo(10 * 3600);
            assertThat(web.at("/changeFailureRate/rate").asDouble()).isEqualTo(1.0);
            assertThat(web.at("/changeFailureRate/band").asText()).isEqualTo("low");
            assertThat(web.at("/timeToRestore/failures").asInt()).isEqualTo(1);
            assertThat(web.at("/timeToRestore/restored").asInt()).isZero();
            assertThat(web.at("/timeToRestore/medianSeconds").isNull()).isTrue();
        });
    }

    @Test
    void metricsPageShowsTheSameFigures() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                get("/metrics?period=7d&repository=" + APP).body())
                .contains("0.43 / day", "2h 00m median", "33.3 %", "18h 50m", "1 of 1 failures restored",
                        "BUILD_ERROR", "SMOKE_FAILED"));
    }

    private JsonNode metrics(String repository) throws Exception {
        return new ObjectMapper().readTree(get("/metrics.json?period=7d&repository=" + repository).body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private Instant at(int days, int hours, int minutes) {
        return day.plus(Duration.ofDays(days).plusHours(hours).plusMinutes(minutes));
    }

    private static RunContext run(String repository, String name, Instant committed, Instant triggered) {
        RunContext sample = SampleEvents.run();
        return RunContext.newBuilder(sample)
                .setRunId(repository + "@" + name)
                .setRepository(Repository.newBuilder(sample.getRepository()).setFullName(repository).build())
                .setCommit(Commit.newBuilder(sample.getCommit()).setTimestamp(committed).build())
                .setTriggeredAt(triggered)
                .build();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static CommitReceived commitReceived(RunContext run) {
        return CommitReceived.newBuilder(SampleEvents.commitReceived()).setEventId(id()).setRun(run)
                .setEmittedAt(run.getTriggeredAt()).build();
    }

    private static List<SpecificRecord> pipeline(RunContext run, Instant built, Instant tested, Instant published) {
        return List.of(commitReceived(run),
                ImageBuilt.newBuilder(SampleEvents.imageBuilt()).setEventId(id()).setRun(run).setEmittedAt(built)
                        .build(),
                TestsPassed.newBuilder(SampleEvents.testsPassed()).setEventId(id()).setRun(run).setEmittedAt(tested)
                        .build(),
                ArtifactPublished.newBuilder(SampleEvents.artifactPublished()).setEventId(id()).setRun(run)
                        .setEmittedAt(published).build());
    }

    private static Deployed deployed(RunContext run, String environment, Instant at, String rolledBack) {
        return Deployed.newBuilder(SampleEvents.deployed()).setEventId(id()).setRun(run).setEnvironment(environment)
                .setRollback(rolledBack != null).setRolledBackRunId(rolledBack)
                .setReason(rolledBack == null ? null : "SMOKE_FAILED").setEmittedAt(at).build();
    }

    private static BuildFailed failed(RunContext run, Stage stage, String reason, String environment, Instant at) {
        return BuildFailed.newBuilder(SampleEvents.buildFailed()).setEventId(id()).setRun(run).setStage(stage)
                .setReasonCode(reason).setEnvironment(environment).setEmittedAt(at).build();
    }
}

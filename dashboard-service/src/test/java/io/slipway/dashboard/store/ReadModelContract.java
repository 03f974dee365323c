package io.slipway.dashboard.store;

import com.zaxxer.hikari.HikariDataSource;
import io.slipway.dashboard.domain.LiveChanges;
import io.slipway.dashboard.domain.LogSlice;
import io.slipway.dashboard.domain.RunChange;
import io.slipway.dashboard.domain.RunDetail;
import io.slipway.dashboard.domain.RunFilter;
import io.slipway.dashboard.domain.RunPage;
import io.slipway.dashboard.domain.RunStatus;
import io.slipway.dashboard.domain.RunSummary;
import io.slipway.events.CommitReceived;
import io.slipway.events.Stage;
import org.apache.avro.specific.SpecificRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The projection and {@link JdbcRunHistory} against one database; each subclass supplies the database (the embedded H2
 * and a real PostgreSQL), so both run the same migrations and the same assertions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReadModelContract {

    private static final long LOG_LIMIT = 4 * 1024 * 1024;
    private final AtomicLong offsets = new AtomicLong();
    private final LiveChanges live = new LiveChanges();
    private HikariDataSource dataSource;
    private JdbcProjection projection;
    private JdbcRunHistory history;

    /** The JDBC URL, user and password of an empty database. */
    abstract List<String> database();

    @BeforeAll
    void migrate() {
        List<String> database = database();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.get(0));
        dataSource.setUsername(database.get(1));
        dataSource.setPassword(database.get(2));
        dataSource.setMaximumPoolSize(2);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        projection = new JdbcProjection(dataSource, LOG_LIMIT, live);
        history = new JdbcRunHistory(dataSource);
    }

    @AfterAll
    void closeDataSource() {
        dataSource.close();
    }

    private List<RunChange> apply(SpecificRecord... events) throws SQLException {
        return apply(projection, events);
    }

    private List<RunChange> apply(JdbcProjection to, SpecificRecord... events) throws SQLException {
        List<ProjectedRecord> batch = new ArrayList<>();
        for (SpecificRecord event : events) {
            batch.add(ProjectedRecord.of("t", 0, offsets.getAndIncrement(), "k", event));
        }
        return to.apply(batch, (record, cause) -> {
            throw new AssertionError("record " + record.offset() + " failed", cause);
        });
    }

    private RunDetail detail(TestRuns run) {
        return history.run(run.runId(), 0).orElseThrow();
    }

    private long count(String table, String runId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT COUNT(*) FROM " + table + " WHERE run_id = ?")) {
            select.setString(1, runId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void projectsEveryRecordKindIntoTheRunItBelongsTo() throws SQLException {
        TestRuns run = TestRuns.of("all", "refs/heads/main", Instant.parse("2026-01-02T10:00:00Z"));
        apply(run.commitReceived(), run.chunk(0, "Step 1/3 : FROM scratch", false), run.imageBuilt(),
                run.report(), run.testsPassed(), run.artifactPublished(), run.deployed("staging"),
                run.chunk(1, "done", true), run.environmentState("staging"));

        RunDetail detail = detail(run);
        assertThat(detail.summary().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(detail.summary().stage()).isEqualTo("DEPLOY");
        assertThat(detail.summary().branch()).isEqualTo("main");
        assertThat(detail.summary().title()).isEqualTo("Fix all the bugs");
        assertThat(detail.commitUrl()).endsWith("/commit/" + run.run().getCommit().getSha());
        assertThat(detail.timeline()).extracting(RunDetail.TimelineEntry::kind)
                .containsExactly("CommitReceived", "ImageBuilt", "TestsPassed", "ArtifactPublished", "Deployed");
        assertThat(detail.timeline().get(1).summary()).isEqualTo("built " + run.imageBuilt().getImage().getDigest()
                + " in 42.1 s (cache hit)");
        assertThat(detail.artifacts()).extracting(RunDetail.Artifact::phase).containsExactly("STAGED", "RELEASED");
        assertThat(detail.artifacts().get(0).labels()).containsKey("org.opencontainers.image.revision");
        assertThat(detail.artifacts().get(1).tags()).contains("latest");
        assertThat(detail.report().cases()).extracting(RunDetail.TestCase::outcome).containsExactly("FAILED", "PASSED");
        assertThat(detail.report().cases().get(0).message()).isEqualTo("expected output hello, got bye");
        assertThat(detail.deployments()).extracting(d -> d.environment()).containsExactly("staging");
        assertThat(detail.log().bytes()).isEqualTo("Step 1/3 : FROM scratch".length() + "done".length());
        LogSlice log = history.log(run.runId(), 1, 0);
        assertThat(log.text()).isEqualTo("Step 1/3 : FROM scratch\ndone\n");
        assertThat(log.next()).isEqualTo(2);
        assertThat(log.complete()).isTrue();
        assertThat(history.log(run.runId(), 1, 2).text()).isEmpty();
        assertThat(history.junitXml(run.runId(), 1)).hasValueSatisfying(xml -> assertThat(xml).contains("<testsuites"));
        assertThat(history.environments()).anySatisfy(view -> {
            assertThat(view.repository()).isEqualTo(run.repository());
            assertThat(view.current().runId()).isEqualTo(run.runId());
        });
        assertThat(history.deployments("staging", run.repository(), 10)).hasSize(1);
        assertThat(history.attempts(run.runId())).containsExactly(1);
        assertThat(history.repositories()).contains(run.repository());
    }

    @Test
    void lateEventsNeverMoveARunBackwards() throws SQLException {
        TestRuns failed = TestRuns.of("late", "refs/heads/main", Instant.parse("2026-01-03T10:00:00Z"));
        apply(failed.failed(Stage.TEST, "TESTS_FAILED"), failed.imageBuilt(), failed.commitReceived());
        assertThat(detail(failed).summary()).satisfies(summary -> {
            assertThat(summary.status()).isEqualTo(RunStatus.FAILED);
            assertThat(summary.stage()).isEqualTo("TEST");
            assertThat(summary.reason()).isEqualTo("TESTS_FAILED");
        });

        TestRuns published = TestRuns.of("late", "refs/heads/main", Instant.parse("2026-01-03T11:00:00Z"));
        apply(published.artifactPublished(), published.testsPassed(), published.imageBuilt(),
                published.commitReceived());
        assertThat(detail(published).summary().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(detail(published).summary().stage()).isEqualTo("DELIVER");
        assertThat(detail(published).summary().finishedAt()).isNotNull();
    }

    @Test
    void supersededRunIsCancelledAndAFailedDeploymentFailsAPublishedRun() throws SQLException {
        TestRuns superseded = TestRuns.of("cancel", "refs/heads/main", Instant.parse("2026-01-04T10:00:00Z"));
        apply(superseded.commitReceived(), superseded.failed(Stage.BUILD, "SUPERSEDED"));
        assertThat(detail(superseded).summary().status()).isEqualTo(RunStatus.CANCELLED);

        TestRuns deployed = TestRuns.of("cancel", "refs/heads/main", Instant.parse("2026-01-04T11:00:00Z"));
        apply(deployed.commitReceived(), deployed.artifactPublished(), deployed.failed(Stage.DEPLOY, "SMOKE_FAILED"));
        RunDetail detail = detail(deployed);
        assertThat(detail.summary().status()).isEqualTo(RunStatus.FAILED);
        assertThat(detail.summary().stage()).isEqualTo("DEPLOY");
        assertThat(detail.failures()).extracting(RunDetail.Failure::reason).containsExactly("SMOKE_FAILED");
    }

    @Test
    void requestRunSucceedsWhenTested() throws SQLException {
        TestRuns base = TestRuns.of("request", "refs/pull/7/head", Instant.parse("2026-01-05T10:00:00Z"));
        TestRuns request = new TestRuns(io.slipway.events.RunContext.newBuilder(base.run())
                .setRequest(io.slipway.events.ChangeRequest.newBuilder().setNumber(7).setKind("pull")
                        .setSourceBranch("feature/x").setTargetBranch("main").setSourceRepository(base.repository())
                        .setFromFork(false).setHeadSha(base.run().getCommit().getSha()).setMergeResult(false)
                        .setWebUrl("https://git.example.com/pull/7").build()).build());
        apply(request.commitReceived(), request.imageBuilt(), request.testsPassed());
        RunSummary summary = detail(request).summary();
        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(summary.branch()).isEqualTo("feature/x");
        assertThat(summary.requestNumber()).isEqualTo(7);
    }

    @Test
    void redeliveredRecordsAreAppliedOnce() throws SQLException {
        TestRuns run = TestRuns.of("again", "refs/heads/main", Instant.parse("2026-01-06T10:00:00Z"));
        SpecificRecord[] events = {run.commitReceived(), run.chunk(0, "line", false), run.report(),
                run.failed(Stage.TEST, "TESTS_FAILED"), run.deployed("staging")};
        apply(events);
        apply(events);
        assertThat(count("run_events", run.runId())).isEqualTo(3);
        assertThat(count("failures", run.runId())).isEqualTo(1);
        assertThat(count("deployments", run.runId())).isEqualTo(1);
        assertThat(count("log_chunks", run.runId())).isEqualTo(1);
        assertThat(count("test_cases", run.runId())).isEqualTo(2);
        assertThat(detail(run).log().bytes()).isEqualTo(4);
    }

    @Test
    void logBeyondTheLimitIsDroppedAndMarkedTruncated() throws SQLException {
        JdbcProjection small = new JdbcProjection(dataSource, 10, live);
        TestRuns run = TestRuns.of("log", "refs/heads/main", Instant.parse("2026-01-07T10:00:00Z"));
        apply(small, run.chunk(0, "12345", false), run.chunk(1, "67890", false), run.chunk(2, "overflow", true));
        apply(small, run.commitReceived());
        RunDetail detail = detail(run);
        assertThat(detail.log()).isEqualTo(new RunDetail.LogState(10, true));
        LogSlice slice = history.log(run.runId(), 1, 0);
        assertThat(slice.text()).isEqualTo("12345\n67890\n");
        assertThat(slice.truncated()).isTrue();
        assertThat(slice.complete()).as("the last chunk came, though dropped").isTrue();
    }

    @Test
    void theFirstChunkPastTheLimitEndsTheLogSoASmallerOneLeavesNoHole() throws SQLException {
        JdbcProjection small = new JdbcProjection(dataSource, 10, live);
        TestRuns run = TestRuns.of("hole", "refs/heads/main", Instant.parse("2026-01-07T11:00:00Z"));
        apply(small, run.commitReceived(), run.chunk(0, "1234567", false), run.chunk(1, "overflow", false));
        assertThat(history.log(run.runId(), 1, 0).complete()).as("nothing more will be kept").isTrue();

        apply(small, run.chunk(2, "ab", false), run.chunk(3, "c", true));

        LogSlice slice = history.log(run.runId(), 1, 0);
        assertThat(slice.text()).isEqualTo("1234567\n");
        assertThat(slice.truncated()).isTrue();
        assertThat(history.log(run.runId(), 1, slice.next()).text()).isEmpty();
        assertThat(detail(run).log()).isEqualTo(new RunDetail.LogState(7, true));
    }

    @Test
    void theLogOfARunThatFailedWithoutItsLastChunkIsComplete() throws SQLException {
        TestRuns run = TestRuns.of("died", "refs/heads/main", Instant.parse("2026-01-07T12:00:00Z"));
        apply(run.commitReceived(), run.chunk(0, "Step 1/3 : FROM scratch", false));
        assertThat(history.log(run.runId(), 1, 0).complete()).as("still building").isFalse();

        apply(run.failed(Stage.BUILD, "BUILD_ERROR"));

        assertThat(history.log(run.runId(), 1, 0).complete()).isTrue();
    }

    @Test
    void anEventIdLongerThanItsColumnIsRefusedRatherThanStoredUnderAnotherId() throws SQLException {
        TestRuns run = TestRuns.of("longid", "refs/heads/main", Instant.parse("2026-01-08T11:00:00Z"));
        CommitReceived event = CommitReceived.newBuilder(run.commitReceived()).setEventId("e".repeat(65)).build();
        List<Throwable> failures = new ArrayList<>();
        for (int delivery = 0; delivery < 2; delivery++) {
            projection.apply(List.of(ProjectedRecord.of("t", 0, offsets.getAndIncrement(), "k", event)),
                    (record, cause) -> failures.add(cause));
        }

        assertThat(failures).hasSize(2).allSatisfy(cause -> assertThat(cause)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event id"));
        assertThat(count("run_events", run.runId())).isZero();
    }

    @Test
    void theLogOfAFinishedRunIsCompleteWithoutALastChunk() throws SQLException {
        TestRuns run = TestRuns.of("retries", "refs/heads/main", Instant.parse("2026-01-07T11:00:00Z"));
        apply(run.commitReceived(), run.chunk(0, "Step 1/3 : FROM scratch", false));
        assertThat(history.log(run.runId(), 1, 0).complete()).as("while the build runs").isFalse();

        apply(run.failed(Stage.BUILD, "BUILD_ERROR"));

        LogSlice slice = history.log(run.runId(), 1, 0);
        assertThat(slice.text()).isEqualTo("Step 1/3 : FROM scratch\n");
        assertThat(slice.complete()).isTrue();
    }

    @Test
    void textLongerThanItsColumnIsCut() throws SQLException {
        TestRuns base = TestRuns.of("long", "refs/heads/main", Instant.parse("2026-01-08T10:00:00Z"));
        TestRuns run = new TestRuns(io.slipway.events.RunContext.newBuilder(base.run())
                .setCommit(io.slipway.events.Commit.newBuilder(base.run().getCommit())
                        .setMessage("t".repeat(500) + "\n" + "m".repeat(20_000)).build()).build());
        apply(run.commitReceived(), io.slipway.events.BuildFailed.newBuilder(run.failed(Stage.BUILD, "BUILD_ERROR"))
                .setMessage("x".repeat(10_000)).build());
        RunDetail detail = detail(run);
        assertThat(detail.summary().title()).hasSize(200);
        assertThat(detail.message()).hasSize(8192);
        assertThat(detail.failures().get(0).message()).hasSize(4096);
    }

    @Test
    void hostileJunitXmlKeepsTheReportWithoutCasesOrLeaks() throws SQLException {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE testsuite [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
                <testsuite name="s"><testcase name="&leak;"><failure message="&leak;"/></testcase></testsuite>
                """;
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
                <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
                <testsuite name="s"><testcase name="&lol9;"/></testsuite>
                """;
        for (String xml : List.of(xxe, laughs, "not xml at all <<<", "<testsuite><testcase name='a'>")) {
            TestRuns run = TestRuns.of("hostile", "refs/heads/main", Instant.parse("2026-01-09T10:00:00Z"));
            apply(run.report(xml));
            RunDetail.TestReport report = detail(run).report();
            assertThat(report).isNotNull();
            assertThat(report.cases()).isEmpty();
            assertThat(history.junitXml(run.runId(), 1)).hasValue(xml);
        }
    }

    @Test
    void aRecordThatCannotBeAppliedIsHandedOverAndTheRestOfThePollCommits() throws SQLException {
        TestRuns good = TestRuns.of("poll", "refs/heads/main", Instant.parse("2026-01-10T10:00:00Z"));
        TestRuns bad = new TestRuns(io.slipway.events.RunContext.newBuilder(good.run())
                .setRunId("r".repeat(300)).build());
        String topic = "poll-" + UUID.randomUUID();
        List<Long> failed = new CopyOnWriteArrayList<>();
        projection.apply(List.of(ProjectedRecord.of(topic, 0, 5, "k", bad.commitReceived()),
                ProjectedRecord.skipped(topic, 0, 6),
                ProjectedRecord.of(topic, 0, 7, "k", good.commitReceived()),
                ProjectedRecord.of(topic, 1, 3, "k", good.imageBuilt())), (record, cause) -> failed.add(record.offset()));
        assertThat(failed).containsExactly(5L);
        assertThat(detail(good).summary().stage()).isEqualTo("TEST");
        assertThat(projection.offsets().get(topic)).isEqualTo(Map.of(0, 8L, 1, 4L));
    }

    @Test
    void changesArePublishedAfterTheCommit() throws SQLException {
        TestRuns run = TestRuns.of("live", "refs/heads/main", Instant.parse("2026-01-11T10:00:00Z"));
        List<RunChange> seen = new CopyOnWriteArrayList<>();
        List<Boolean> visible = new CopyOnWriteArrayList<>();
        try (AutoCloseable ignored = live.subscribe(change -> {
            seen.add(change);
            visible.add(history.run(change.runId(), change.attempt()).isPresent());
        })) {
            apply(run.commitReceived(), run.chunk(0, "x", false), run.deployed("staging"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(seen).contains(new RunChange(RunChange.Kind.RUN, run.runId(), 1, run.repository(), null),
                new RunChange(RunChange.Kind.LOG, run.runId(), 1, run.repository(), null),
                new RunChange(RunChange.Kind.ENVIRONMENT, run.runId(), 1, run.repository(), "staging"));
        assertThat(visible).containsOnly(true);
    }

    @Test
    void runsArePagedNewestFirstWithACursorAndFiltered() throws SQLException {
        String repository = "pages/app-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.parse("2030-01-01T00:00:00Z");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Pairs of runs share a trigger time, so the cursor must also order by run id.
            TestRuns run = TestRuns.in(repository, i % 3 == 0 ? "refs/heads/dev" : "refs/heads/main",
                    start.plusSeconds(i / 2));
            apply(i % 5 == 0 ? new SpecificRecord[]{run.commitReceived(), run.failed(Stage.BUILD, "BUILD_ERROR")}
                    : new SpecificRecord[]{run.commitReceived()});
            expected.add(run.runId());
        }
        RunFilter filter = new RunFilter(repository, null, null, null);
        List<RunSummary> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RunPage page = history.runs(filter, cursor, 10);
            all.addAll(page.runs());
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(all).extracting(RunSummary::runId).containsExactlyInAnyOrderElementsOf(expected)
                .doesNotHaveDuplicates();
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).triggeredAt()).isBeforeOrEqualTo(all.get(i - 1).triggeredAt());
        }
        assertThat(history.runs(new RunFilter(repository, "dev", null, null), null, 100).runs()).hasSize(9)
                .allSatisfy(run -> assertThat(run.branch()).isEqualTo("dev"));
        assertThat(history.runs(new RunFilter(repository, null, RunStatus.FAILED, null), null, 100).runs())
                .hasSize(5).allSatisfy(run -> assertThat(run.stage()).isEqualTo("BUILD"));
        assertThat(history.runs(new RunFilter(repository, null, null, "TRIGGER"), null, 100).runs()).hasSize(20);
        assertThat(history.runs(new RunFilter(repository, "dev", RunStatus.FAILED, "BUILD"), null, 100).runs())
                .extracting(RunSummary::runId).hasSize(2);
    }

    @Test
    void aTamperedCursorIsRefused() {
        String repository = "pages/none-" + UUID.randomUUID();
        String cursor = new RunCursor(Instant.parse("2026-01-01T00:00:00Z"), "a/b@123", 1).encode();
        char flipped = cursor.charAt(3) == 'A' ? 'B' : 'A';
        String tampered = cursor.substring(0, 3) + flipped + cursor.substring(4);
        RunFilter filter = new RunFilter(repository, null, null, null);
        assertThat(history.runs(filter, cursor, 5).runs()).isEmpty();
        for (String bad : List.of(tampered, "not-a-cursor!", "AAAA", cursor.substring(0, cursor.length() - 2))) {
            assertThatThrownBy(() -> history.runs(filter, bad, 5)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unknownRunsAreEmpty() {
        assertThat(history.run("nobody/none@0", 0)).isEmpty();
        assertThat(history.attempts("nobody/none@0")).isEmpty();
        assertThat(history.log("nobody/none@0", 1, 0)).isEqualTo(new LogSlice("", 0, false, false));
        assertThat(history.junitXml("nobody/none@0", 1)).isEmpty();
    }
}

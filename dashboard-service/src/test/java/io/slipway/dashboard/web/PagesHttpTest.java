package io.slipway.dashboard.web;

import io.slipway.dashboard.domain.RunChange;
import io.slipway.dashboard.domain.RunDetail;
import io.slipway.dashboard.domain.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard's pages, stream and actions over HTTP, against an in-memory history and a fake deployer. */
class PagesHttpTest {

    private static PagesServer server;

    @BeforeAll
    static void start() {
        server = new PagesServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void empty() {
        server.history.clear();
        server.deployerGot.clear();
        server.deployerAnswers(200, "{\"status\":\"deployed\",\"message\":\"deployed\"}");
    }

    @Test
    void theRootRedirectsToTheRuns() {
        HttpResponse<String> response = server.get("/");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains("/runs");
    }

    @Test
    void runsAreListedNewestFirstWithTheirColumnsAndLinks() {
        server.history.put(Runs.detail(Runs.summary("run-old", 1, "octo-org/hello", "Older change", "DELIVER",
                RunStatus.SUCCEEDED, Runs.T0), "Older change"));
        server.history.put(Runs.detail(Runs.summary("run-new", 2, "octo-org/world", "Newer change", "BUILD",
                RunStatus.RUNNING, Runs.T0.plusSeconds(60)), "Newer change"));

        HttpResponse<String> response = server.get("/runs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        String body = response.body();
        assertThat(body.indexOf("Newer change")).isLessThan(body.indexOf("Older change")).isPositive();
        assertThat(body).contains("href=\"/runs/run-new/2\"", "href=\"/runs/run-old/1\"", "octo-org/world",
                "6dcb09b5b578", "Alice", "status-running", "status-succeeded", "1m 35s");
    }

    @Test
    void aRequestRunShowsItsNumberInsteadOfTheBranch() {
        var push = Runs.summary("run-mr", 1, "group/app", "Merge me", "TEST", RunStatus.RUNNING, Runs.T0);
        server.history.put(Runs.detail(new io.slipway.dashboard.domain.RunSummary(push.runId(), 1, push.repository(),
                null, "refs/merge-requests/7/head", push.sha(), push.title(), push.author(), 7, "merge",
                push.triggeredAt(), push.stage(), push.status(), null, push.updatedAt(), null), "Merge me"));

        assertThat(server.get("/runs").body()).contains("<td>!7</td>");
    }

    @Test
    void filtersNarrowTheRunsAndAreKeptInTheForm() {
        server.history.put(Runs.detail(Runs.summary("run-a", 1, "octo-org/hello", "Passing change", "DELIVER",
                RunStatus.SUCCEEDED, Runs.T0), "x"));
        server.history.put(Runs.failedTests("run-b"));

        String failed = server.get("/runs?status=failed&repository=octo-org/hello&stage=TEST&branch=main").body();

        assertThat(failed).contains("Break the greeting").doesNotContain("Passing change")
                .contains("<option value=\"FAILED\" selected>");
    }

    @Test
    void badFilterValuesAreRefusedWithAMessage() {
        HttpResponse<String> status = server.get("/runs?status=exploded");
        HttpResponse<String> stage = server.get("/runs?stage=LAUNCH");
        HttpResponse<String> repository = server.get("/runs?repository=..%2F..");
        HttpResponse<String> cursor = server.get("/runs?cursor=forged");

        assertThat(status.statusCode()).isEqualTo(400);
        assertThat(status.body()).contains("status must be one of running, succeeded, failed, cancelled");
        assertThat(stage.statusCode()).isEqualTo(400);
        assertThat(stage.body()).contains("stage must be one of");
        assertThat(repository.statusCode()).isEqualTo(400);
        assertThat(repository.body()).contains("repository: ");
        assertThat(cursor.statusCode()).isEqualTo(400);
        assertThat(cursor.body()).contains("the cursor is not one this dashboard made");
    }

    @Test
    void fiftyRunsMakeAPageAndTheOlderLinkShowsTheRest() {
        for (int i = 0; i < 55; i++) {
            server.history.put(Runs.detail(Runs.summary("run-" + i, 1, "octo-org/hello", "Change number " + i + ".",
                    "DELIVER", RunStatus.SUCCEEDED, Runs.T0.plusSeconds(i)), "x"));
        }

        String first = server.get("/runs").body();
        String older = first.substring(first.indexOf("<a rel=\"next\" href=\"") + "<a rel=\"next\" href=\"".length());
        older = older.substring(0, older.indexOf('"')).replace("&amp;", "&");
        String second = server.get(older).body();

        assertThat(first).contains("Change number 54.", "Change number 5.").doesNotContain("Change number 4.");
        assertThat(second).contains("Change number 4.", "Change number 0.").doesNotContain("Change number 5.")
                .doesNotContain("rel=\"next\"");
    }

    @Test
    void theRunPageShowsCommitTimelineArtifactTestsFailedFirstAndTheFailure() {
        server.history.put(Runs.failedTests("run-f"));

        HttpResponse<String> response = server.get("/runs/run-f");

        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(body).contains("6dcb09b5b57875f334f61aebed695e2e4193db5e",
                "href=\"https://github.com/octo-org/hello/commit/6dcb09b5b57875f334f61aebed695e2e4193db5e\"",
                "On purpose.", "CommitReceived", "ImageBuilt", "+1m 05s", "127.0.0.1:5000/octo-org/hello@" + Runs.DIGEST,
                "org.opencontainers.image.revision", "expected: &lt;Hello, Bob&gt; but was: &lt;Hi, Bob&gt;",
                "TESTS_FAILED", "GreetingTest.greetsByName FAILED", "/runs/run-f/1/log.txt", "/runs/run-f/1/report.xml");
        assertThat(body.indexOf("greetsByName")).isLessThan(body.indexOf("greetsAnonymous"));
        assertThat(server.get("/runs/run-f/1").body()).isEqualTo(body);
    }

    @Test
    void theRunPageOffersEveryAttempt() {
        server.history.put(Runs.failedTests("run-r"));
        server.history.put(Runs.detail(Runs.summary("run-r", 2, "octo-org/hello", "Retried", "DELIVER",
                RunStatus.SUCCEEDED, Runs.T0.plusSeconds(300)), "Retried"));

        String newest = server.get("/runs/run-r").body();

        assertThat(newest).contains("Retried", "<a href=\"/runs/run-r/1\">1</a>", "<strong aria-current=\"page\">2");
    }

    @Test
    void anUnknownRunIsA404PageAndABadPathIsA400() {
        HttpResponse<String> unknown = server.get("/runs/no-such-run");
        HttpResponse<String> unknownAttempt = server.get("/runs/no-such-run/3");
        HttpResponse<String> badId = server.get("/runs/bad%3Cid%3E");
        HttpResponse<String> badAttempt = server.get("/runs/run-1/first");
        HttpResponse<String> badFrom = server.get("/runs/run-1/1/log?from=-4");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("Run not found", "No run no-such-run is known.");
        assertThat(unknownAttempt.statusCode()).isEqualTo(404);
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("a run id is 1 to 64 letters");
        assertThat(server.get("/runs/.hidden").statusCode()).isEqualTo(400);
        assertThat(server.get("/runs/" + "a".repeat(65)).statusCode()).isEqualTo(400);
        assertThat(badAttempt.statusCode()).isEqualTo(400);
        assertThat(badFrom.statusCode()).isEqualTo(400);
        assertThat(server.get("/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void markupFromEventsIsShownAsTextNeverAsMarkup() {
        String script = "<script>alert(1)</script>";
        String attribute = "\"><img src=x onerror=alert(2)>";
        var summary = Runs.summary("run-x", 1, "octo-org/hello", script + attribute, "BUILD", RunStatus.RUNNING,
                Runs.T0);
        RunDetail base = Runs.detail(summary, script + "\n" + attribute);
        server.history.put(new RunDetail(summary, base.message(), base.commitTime(), "javascript:alert(3)", null,
                base.timeline(), base.artifacts(), null, base.deployments(),
                java.util.List.of(new RunDetail.Failure("BUILD", "BUILD_FAILED", attribute, script, false, null,
                        Runs.T0)), base.log()));

        String list = server.get("/runs").body();
        String page = server.get("/runs/run-x").body();

        for (String body : java.util.List.of(list, page)) {
            assertThat(body).doesNotContain("<script>alert", "<img src=x", "onerror=alert(2)>")
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
        }
        assertThat(page).doesNotContain("href=\"javascript:");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        server.history.put(Runs.failedTests("run-h"));
        for (String path : java.util.List.of("/runs", "/runs/run-h", "/environments", "/runs/nope",
                "/static/dashboard.js", "/runs/run-h/1/log")) {
            HttpResponse<String> response = server.get(path);

            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
                    .contains(SecurityHeaders.POLICY);
            assertThat(SecurityHeaders.POLICY).contains("default-src 'self'", "frame-ancestors 'none'");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
        }
    }

    @Test
    void pagesHaveNoInlineScriptAndTheStylesAndScriptAreServed() {
        server.history.put(Runs.failedTests("run-s"));
        String page = server.get("/runs/run-s").body();

        assertThat(page).contains("<script src=\"/static/dashboard.js\" defer></script>")
                .doesNotContainPattern("<script>|<script [^s]| on[a-z]+=\"");
        assertThat(server.get("/static/dashboard.js").body()).contains("EventSource('/events')");
        assertThat(server.get("/static/dashboard.css").statusCode()).isEqualTo(200);
    }

    @Test
    void theLogIsServedInSlicesAndAsADownload() {
        server.history.put(Runs.failedTests("run-l"));
        server.history.appendLog("run-l", 1, "step 1\n", false);
        server.history.appendLog("run-l", 1, "step 2\n", true);

        HttpResponse<String> all = server.get("/runs/run-l/1/log");
        HttpResponse<String> rest = server.get("/runs/run-l/1/log?from=1");
        HttpResponse<String> download = server.get("/runs/run-l/1/log.txt");

        assertThat(all.body()).isEqualTo("{\"text\":\"step 1\\nstep 2\\n\",\"next\":2,\"complete\":true,"
                + "\"truncated\":false}");
        assertThat(rest.body()).contains("\"text\":\"step 2\\n\"");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo("step 1\nstep 2\n");
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(download.headers().firstValue("Content-Disposition")).contains(
                "attachment; filename=\"run-l-1.log\"");
        assertThat(server.get("/runs/unknown-run/1/log.txt").statusCode()).isEqualTo(404);
        assertThat(server.get("/runs/run-l/7/log.txt").statusCode()).as("an attempt the run never had")
                .isEqualTo(404);
    }

    @Test
    void theJunitReportIsADownloadOrA404() {
        server.history.putReport("run-x", 1, "<testsuite name=\"s\"/>");

        HttpResponse<String> report = server.get("/runs/run-x/1/report.xml");

        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).isEqualTo("<testsuite name=\"s\"/>");
        assertThat(report.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/xml"));
        assertThat(report.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                value -> assertThat(value).startsWith("attachment"));
        assertThat(server.get("/runs/run-x/2/report.xml").statusCode()).isEqualTo(404);
    }

    @Test
    void theEnvironmentsPageShowsWhatRunsWhereWhatWaitsAndTheHistory() {
        server.history.putEnvironment(Runs.productionWaiting("run-p"));
        server.history.putEnvironment(Runs.staging("run-p"));
        server.history.addDeployment(Runs.deployment("production", "old-run", Runs.OLD_DIGEST, Runs.T0.minusSeconds(3600)));
        server.history.addDeployment(Runs.deployment("staging", "older-run", Runs.OLD_DIGEST, Runs.T0.minusSeconds(60)));
        server.history.addDeployment(Runs.deployment("staging", "run-p", Runs.DIGEST, Runs.T0.plusSeconds(120)));

        String page = server.get("/environments").body();

        assertThat(page).contains("staging", "production", "href=\"/runs/run-p/1\"", "needs an approval",
                "class=\"approve\" data-run=\"run-p\" data-environment=\"production\"",
                "data-environment=\"staging\" data-digest=\"" + Runs.OLD_DIGEST + "\">Roll back to this",
                "href=\"http://127.0.0.1:18080\"");
        assertThat(page).doesNotContain("data-digest=\"" + Runs.DIGEST + "\"");
    }

    @Test
    void theEventStreamSendsARunEventForEachPublishedChangeAndUnsubscribesAClientThatLeaves() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(server.url("/events")))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("closed");
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.liveChanges().subscribers() == 1);

        server.liveChanges().publish(new RunChange(RunChange.Kind.RUN, "run-live", 2, "octo-org/hello", null));

        String line;
        do {
            line = lines.poll(10, TimeUnit.SECONDS);
            assertThat(line).as("a run event within 10 s").isNotNull();
        } while (!line.equals("event: run") && !line.equals("event:run"));
        String data = lines.poll(10, TimeUnit.SECONDS);
        assertThat(data).contains("\"kind\":\"RUN\"", "\"runId\":\"run-live\"", "\"attempt\":2",
                "\"repository\":\"octo-org/hello\"");

        stream.body().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.liveChanges().subscribers() == 0);
    }

    @Test
    void aStreamBeyondTheMostOpenAtOnceIsRefusedWith503() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            while (server.liveChanges().subscribers() < EventsController.MAX_STREAMS) {
                open.add(server.liveChanges().subscribe(change -> { }));
            }
            // A stream accepted by mistake never ends: its body is closed unread, so that fails instead of hanging.
            HttpResponse<InputStream> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url("/events"))).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = refused.body()) {
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
            }

            open.remove(0).close();
            HttpResponse<InputStream> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url("/events"))).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(accepted.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            accepted.body().close();
        } finally {
            for (AutoCloseable subscription : open) {
                subscription.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.liveChanges().subscribers() == 0);
    }

    @Test
    void anActionWithoutATokenIs401AndNothingReachesTheDeployer() {
        HttpResponse<String> approve = server.post("/actions/approve", null,
                "{\"run\":\"run-p\",\"environment\":\"production\"}");
        HttpResponse<String> rollback = server.post("/actions/rollback", "Basic dXNlcjpwdw==",
                "{\"repository\":\"octo-org/hello\",\"environment\":\"staging\"}");

        assertThat(approve.statusCode()).isEqualTo(401);
        assertThat(approve.body()).contains("send the operator token");
        assertThat(rollback.statusCode()).isEqualTo(401);
        assertThat(server.deployerGot).isEmpty();
    }

    @Test
    void anApprovalIsForwardedWithTheTokenAndTheDeployersRefusalComesBack() {
        server.deployerAnswers(409, "{\"message\":\"superseded by a newer run\"}");

        HttpResponse<String> response = server.post("/actions/approve", "Bearer operator-secret",
                "{\"run\":\"run-p\",\"environment\":\"production\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("superseded by a newer run");
        assertThat(server.deployerGot).containsExactly(new PagesServer.Received("/approvals",
                "Bearer operator-secret", "{\"run\":\"run-p\",\"environment\":\"production\"}"));
    }

    @Test
    void aRollbackIsForwardedWithItsDigest() {
        HttpResponse<String> response = server.post("/actions/rollback", "Bearer operator-secret",
                "{\"repository\":\"octo-org/hello\",\"environment\":\"staging\",\"digest\":\"" + Runs.OLD_DIGEST
                        + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"deployed\"");
        assertThat(server.deployerGot).containsExactly(new PagesServer.Received("/rollbacks", "Bearer operator-secret",
                "{\"repository\":\"octo-org/hello\",\"environment\":\"staging\",\"digest\":\"" + Runs.OLD_DIGEST
                        + "\"}"));
    }

    @Test
    void aBadActionBodyIs400AndNothingIsForwarded() {
        HttpResponse<String> notJson = server.post("/actions/approve", "Bearer t", "run=1");
        HttpResponse<String> badEnvironment = server.post("/actions/approve", "Bearer t",
                "{\"run\":\"run-p\",\"environment\":\"Prod!\"}");
        HttpResponse<String> unknownField = server.post("/actions/rollback", "Bearer t",
                "{\"repository\":\"octo-org/hello\",\"environment\":\"staging\",\"by\":\"mallory\"}");
        HttpResponse<String> badDigest = server.post("/actions/rollback", "Bearer t",
                "{\"repository\":\"octo-org/hello\",\"environment\":\"staging\",\"digest\":\"latest\"}");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not JSON");
        assertThat(badEnvironment.statusCode()).isEqualTo(400);
        assertThat(badEnvironment.body()).contains("environment: ");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(unknownField.body()).contains("unknown field 'by'");
        assertThat(badDigest.statusCode()).isEqualTo(400);
        assertThat(server.deployerGot).isEmpty();
    }

    @Test
    void anUnreachableDeployerIsA502WithAMessage() {
        try (PagesServer alone = new PagesServer()) {
            alone.stopDeployer();

            HttpResponse<String> response = alone.post("/actions/rollback", "Bearer t",
                    "{\"repository\":\"octo-org/hello\",\"environment\":\"staging\"}");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("could not be reached");
        }
    }
}

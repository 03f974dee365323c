package io.slipway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.common.testing.HeadlessChromium;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.devstack.PostgresServer;
import io.slipway.events.Deployed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * dashboard-service started by {@code ./slipway up} beside the other services, watched in Debian's headless Chromium
 * while real pushes go through the pipeline: the runs page follows a run without a reload, the run page follows the
 * build log and shows the failed test case and the reason, the environments page shows the staging deployment, and
 * the history survives a restart of the dashboard. The live runs page is tested on the embedded H2 database and on
 * PostgreSQL; each database gets a stack of its own, with staging on the local Docker engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardEndToEndTest {

    /** The database the dashboard keeps its history in. */
    enum Database { H2, POSTGRESQL }

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final int BUILD_STEPS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Set to a directory of the repository (e.g. {@code docs/images}) to write the README's picture there. */
    private static final String SCREENSHOTS = "slipway.screenshots";
    /** The start of the names of the repositories staging deploys (one at a time: they share its port). */
    private static final String STAGED = "staged-";

    private final String prefix = "dash-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<Database, SlipwayStack> stacks = new EnumMap<>(Database.class);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> repositories = new ArrayList<>();
    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeAll
    void startBrowser() {
        assumeThat(HeadlessChromium.available()).as("Debian's chromium and chromium-driver").isTrue();
        chromium = HeadlessChromium.start();
        resources.add(chromium);
        browser = chromium.driver();
    }

    @AfterAll
    void stopEverything() {
        repositories.forEach(DashboardEndToEndTest::removeContainersOf);
        stacks.values().forEach(SlipwayStack::close);
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // Closing the rest matters more than this one's failure.
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void theRunsPageShowsAPushAppearAndMoveOnLiveAndTheEnvironmentsPageItsStagingDeployment(Database database) {
        SlipwayStack slipway = stack(database);
        SampleRepository app = newRepository(slipway, STAGED + database.name().toLowerCase());
        app.commit("A build that prints a line a second", "Dockerfile", slowBuild(app));
        open(slipway, "/runs");

        SampleRepository.Push push = app.push();

        By row = By.cssSelector("tr[data-run='" + push.runId() + "']");
        String stageSeen = read(row, r -> "RUNNING".equals(r.getAttribute("data-status"))
                ? r.getAttribute("data-stage") : null);
        read(row, r -> "SUCCEEDED".equals(r.getAttribute("data-status"))
                && "DEPLOY".equals(r.findElement(By.cssSelector("td.stage")).getText()) ? "deployed" : null);
        assertThat(stageSeen).as("the stage while the run was running").isIn("TRIGGER", "BUILD", "TEST");
        assertThat(pageWasNotReloaded()).as("the runs page followed the run without a reload").isTrue();

        Deployed staging = awaitDeployed(slipway, push.runId());
        open(slipway, "/environments");
        By section = By.cssSelector("section.environment[data-environment='staging']");
        String shown = read(section, s -> s.getText().contains(push.runId()) ? s.getText() : null);
        assertThat(shown).contains(app.name(), staging.getUrl());

        open(slipway, "/runs/" + push.runId() + "/1");
        chromium.waitAtMost(RUN_TIMEOUT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"),
                "slipway-build-step-" + BUILD_STEPS));
        screenshotOfTheRunPage(database);
    }

    @Test
    void theRunPageFollowsTheBuildLogAndShowsTheFailedTestCaseFirstAndTheReason() {
        SlipwayStack slipway = stack(Database.H2);
        SampleRepository app = newRepository(slipway, "failing");
        app.commit("A build that prints a line a second and a greeting its test does not expect", Map.of(), work -> {
            SampleRepository.rewrite(work.resolve("Dockerfile"), slowBuild(app));
            SampleRepository.rewrite(work.resolve("www/index.html"),
                    page -> page.replace("Hello from a Slipway-built image", "Goodbye"));
        });

        SampleRepository.Push push = app.push();
        await("the run page of " + push.runId()).atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> slipway.dashboard("/runs/" + push.runId() + "/1").statusCode() == 200);
        open(slipway, "/runs/" + push.runId() + "/1");

        By log = By.id("log");
        String last = "slipway-build-step-" + BUILD_STEPS;
        chromium.waitAtMost(RUN_TIMEOUT).until(page -> {
            String text = page.findElement(log).getText();
            return text.contains("slipway-build-step-1\n") && !text.contains(last);
        });
        chromium.waitAtMost(RUN_TIMEOUT).until(ExpectedConditions.textToBePresentInElementLocated(log, last));
        assertThat(pageWasNotReloaded()).as("the log grew on the page it was opened on").isTrue();

        slipway.events().awaitFailed(push.runId());
        browser.navigate().refresh();
        WebElement firstCase = chromium.waitAtMost(RUN_TIMEOUT).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("table.cases tbody tr")));
        assertThat(firstCase.getAttribute("class")).contains("outcome-failed");
        assertThat(firstCase.getText()).contains("the page greets its visitors");
        assertThat(browser.findElement(By.cssSelector("section.failures .reason")).getText())
                .isEqualTo("TESTS_FAILED");
        assertThat(browser.findElement(log).getText()).as("the whole log, once the run failed").contains(last);
    }

    @Test
    void theHistoryAndItsMetricsSurviveARestartOfTheDashboard() {
        SlipwayStack slipway = stack(Database.H2);
        SampleRepository before = newRepository(slipway, "before");
        SampleRepository.Push first = before.push();
        slipway.events().awaitPublished(first.runId());
        awaitDelivered(slipway, first.runId());
        String metricsPath = "/metrics.json?period=7d&repository=" + before.name();
        JsonNode metrics = figures(ok(slipway.dashboard(metricsPath)));
        assertThat(metrics.path("pipeline").path("stageSeconds").path("build").path("count").asInt())
                .as("the first run's build time, in %s", metrics).isEqualTo(1);

        slipway.kill("dashboard-service");
        SampleRepository after = newRepository(slipway, "after");
        SampleRepository.Push second = after.push();
        slipway.events().awaitPublished(second.runId());
        slipway.upAgain();

        awaitDelivered(slipway, second.runId());
        assertThat(ok(slipway.dashboard("/runs"))).contains(delivered(first.runId()));
        assertThat(figures(ok(slipway.dashboard(metricsPath)))).as("the first repository's metrics after the restart")
                .isEqualTo(metrics);
        assertThat(slipway.status()).containsPattern("dashboard-service +\\d+ +healthy +http://127\\.0\\.0\\.1:"
                + slipway.port("dashboard-service") + "/health");
        assertThat(slipway.home().resolve("dashboard/slipway.mv.db")).as("the embedded database under SLIPWAY_HOME")
                .isRegularFile();
    }

    /** Waits until the runs page lists the run as published (no environment deploys it). */
    private static void awaitDelivered(SlipwayStack slipway, String runId) {
        await("the dashboard's row of " + runId).atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> slipway.dashboard("/runs").body(), page -> page.contains(delivered(runId)));
    }

    private static String delivered(String runId) {
        return "data-run=\"" + runId + "\" data-attempt=\"1\" data-stage=\"DELIVER\" data-status=\"SUCCEEDED\"";
    }

    /** The stack of {@code database}, started on first use: staging on the engine, its own port for its own pages. */
    private SlipwayStack stack(Database database) {
        return stacks.computeIfAbsent(database, db -> {
            try {
                Map<String, String> settings = new HashMap<>(Map.of("SLIPWAY_DASHBOARD_ENABLED", "true",
                        "SLIPWAY_DEPLOYER_ENVIRONMENTS", environments().toString()));
                if (db == Database.POSTGRESQL) {
                    PostgresServer postgres = PostgresServer.start();
                    resources.add(postgres);
                    settings.putAll(Map.of("SLIPWAY_DASHBOARD_DB_URL", postgres.jdbcUrl(),
                            "SLIPWAY_DASHBOARD_DB_USER", postgres.user(),
                            "SLIPWAY_DASHBOARD_DB_PASSWORD", postgres.password()));
                }
                return SlipwayStack.start(settings);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Staging for this class's repositories, any branch, on a free loopback port. */
    private Path environments() throws IOException {
        Files.createDirectories(Path.of("target"));
        Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "dashboard-environments-", ".yml");
        return Files.writeString(file, String.join("\n",
                "environments:",
                "  staging:",
                "    repositories: [\"e2e/" + prefix + "-" + STAGED + "*\"]",
                "    refs: [\"refs/heads/*\"]",
                "    url: http://127.0.0.1:" + LoopbackPorts.free() + "/",
                "    target:",
                "      kind: docker",
                "      ports: [\"127.0.0.1:" + LoopbackPorts.free() + ":8000\"]",
                "      memory: 256m",
                "      registry-username: releaser",
                "      registry-password-env: SLIPWAY_RELEASE_REGISTRY_PASSWORD",
                ""));
    }

    /** A repository of this class named {@code <prefix>-<purpose>}: staging deploys those of {@link #STAGED}. */
    private SampleRepository newRepository(SlipwayStack slipway, String purpose) {
        String name = "e2e/" + prefix + "-" + purpose;
        repositories.add(name);
        return slipway.repository(name, false);
    }

    /**
     * A Dockerfile whose build prints a numbered line a second, after busybox is installed; the repository's name in
     * the step keeps the engine from taking it from its cache (a cached step prints nothing).
     */
    private static UnaryOperator<String> slowBuild(SampleRepository app) {
        StringBuilder loop = new StringBuilder("echo building " + app.name() + "; for i in");
        for (int i = 1; i <= BUILD_STEPS; i++) {
            loop.append(' ').append(i);
        }
        loop.append("; do echo slipway-build-step-$i; sleep 1; done");
        return dockerfile -> dockerfile.replaceFirst("(?m)^(RUN \\[\"/bin/busybox\", \"--install\".*)$",
                "$1\nRUN [\"/bin/sh\", \"-c\", \"" + Matcher.quoteReplacement(loop.toString()) + "\"]");
    }

    private static Deployed awaitDeployed(SlipwayStack slipway, String runId) {
        return await("the staging deployment of " + runId).atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> slipway.events().ofRun(runId, Deployed.class).stream()
                        .filter(d -> d.getEnvironment().equals("staging")).findFirst(), d -> d.isPresent())
                .orElseThrow();
    }

    /**
     * What {@code read} gives of the element {@code located}, once it gives something (not null): a live page replaces
     * its rows and sections when they change, so an element found may be gone when it is read, and is found again.
     */
    private String read(By located, Function<WebElement, String> read) {
        return chromium.waitAtMost(RUN_TIMEOUT).ignoring(StaleElementReferenceException.class)
                .until(page -> read.apply(page.findElement(located)));
    }

    /** Opens a page of the dashboard and marks it, so a reload (which loses the mark) can be told. */
    private void open(SlipwayStack slipway, String path) {
        browser.get("http://127.0.0.1:" + slipway.port("dashboard-service") + path);
        ((JavascriptExecutor) browser).executeScript("window.slipwayTestMarker = 'same page';");
    }

    private boolean pageWasNotReloaded() {
        return "same page".equals(((JavascriptExecutor) browser).executeScript("return window.slipwayTestMarker;"));
    }

    /**
     * Saves the run page to {@code target/} and checks it is not blank; the H2 stack's also goes to the directory
     * {@value #SCREENSHOTS} names, under the repository (the README's picture).
     */
    private void screenshotOfTheRunPage(Database database) {
        Path png = chromium.screenshot(HeadlessChromium.target("dashboard-e2e/run-page-"
                + database.name().toLowerCase() + ".png"));
        assertThat(HeadlessChromium.luminanceVariance(png)).as("a screenshot with something drawn").isGreaterThan(100);
        String dir = System.getProperty(SCREENSHOTS);
        if (dir != null && !dir.isBlank() && database == Database.H2) {
            try {
                Path docs = Files.createDirectories(SlipwayStack.repositoryRoot().resolve(dir));
                Files.copy(png, docs.resolve("run-page.png"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The figures of {@code /metrics.json}, without the period's bounds and days (which move at midnight UTC). */
    private static JsonNode figures(String metricsJson) {
        try {
            ObjectNode figures = (ObjectNode) JSON.readTree(metricsJson);
            figures.remove(List.of("from", "to", "days"));
            return figures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ok(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static void removeContainersOf(String repository) {
        String names = Commands.run(Path.of("").toAbsolutePath(), Map.of(), Duration.ofSeconds(60), "docker", "ps",
                "-aq", "--filter", "label=io.slipway.repository=" + repository).strip();
        if (!names.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("docker", "rm", "-f"));
            command.addAll(List.of(names.split("\\s+")));
            Commands.run(Path.of("").toAbsolutePath(), Map.of(), Duration.ofSeconds(60),
                    command.toArray(String[]::new));
        }
    }
}

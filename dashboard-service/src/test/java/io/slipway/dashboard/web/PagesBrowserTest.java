package io.slipway.dashboard.web;

import io.slipway.common.testing.HeadlessChromium;
import io.slipway.dashboard.domain.RunChange;
import io.slipway.dashboard.domain.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** The pages in Debian's headless Chromium: live runs, the followed log, the environments and their buttons. */
class PagesBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static PagesServer server;
    private static HeadlessChromium chromium;
    private static WebDriver browser;

    @BeforeAll
    static void start() {
        assumeThat(HeadlessChromium.available()).as("Debian's chromium and chromium-driver").isTrue();
        server = new PagesServer();
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void empty() {
        browser.get("about:blank");
        // The page left closes its stream; until the server has seen it go, a count taken now would include it.
        await().atMost(WAIT).until(() -> server.liveChanges().subscribers() == 0);
        server.history.clear();
        server.deployerGot.clear();
    }

    @Test
    void theRunsPageShowsARunAppearAndChangeStageWithoutAReload() {
        server.history.put(Runs.detail(Runs.summary("run-before", 1, "octo-org/hello", "Already there", "DELIVER",
                RunStatus.SUCCEEDED, Runs.T0), "x"));
        open("/runs");
        markPage();

        server.history.put(Runs.detail(Runs.summary("run-live", 1, "octo-org/hello", "Live change", "BUILD",
                RunStatus.RUNNING, Runs.T0.plusSeconds(60)), "Live change"));
        server.liveChanges().publish(new RunChange(RunChange.Kind.RUN, "run-live", 1, "octo-org/hello", null));
        By live = By.cssSelector("tr[data-run='run-live'] td.stage");
        chromium.waitAtMost(WAIT).until(ExpectedConditions.textToBe(live, "BUILD"));

        server.history.put(Runs.detail(Runs.summary("run-live", 1, "octo-org/hello", "Live change", "TEST",
                RunStatus.RUNNING, Runs.T0.plusSeconds(60)), "Live change"));
        server.liveChanges().publish(new RunChange(RunChange.Kind.RUN, "run-live", 1, "octo-org/hello", null));
        chromium.waitAtMost(WAIT).until(ExpectedConditions.textToBe(live, "TEST"));

        List<WebElement> rows = browser.findElements(By.cssSelector("#run-rows tr"));
        assertThat(rows.get(0).getAttribute("data-run")).isEqualTo("run-live");
        assertThat(rows.get(1).getAttribute("data-run")).isEqualTo("run-before");
        assertThat(pageWasNotReloaded()).isTrue();
    }

    @Test
    void theRunPageShowsTheFailedCaseFirstAndFollowsTheLogAsItGrows() {
        server.history.put(Runs.failedTests("run-f"));
        server.history.appendLog("run-f", 1, "Step 1/3 : FROM eclipse-temurin:17\n", false);
        open("/runs/run-f/1");
        markPage();

        WebElement firstCase = browser.findElement(By.cssSelector("table.cases tbody tr"));
        assertThat(firstCase.getAttribute("class")).contains("outcome-failed");
        assertThat(firstCase.getText()).contains("greetsByName", "expected: <Hello, Bob> but was: <Hi, Bob>");
        chromium.waitAtMost(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"),
                "Step 1/3"));

        server.history.appendLog("run-f", 1, "Step 2/3 : COPY . /app\n", false);
        server.liveChanges().publish(new RunChange(RunChange.Kind.LOG, "run-f", 1, "octo-org/hello", null));
        chromium.waitAtMost(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"),
                "Step 2/3 : COPY . /app"));

        assertThat(browser.findElement(By.id("run-changed")).isDisplayed()).isFalse();
        server.liveChanges().publish(new RunChange(RunChange.Kind.RUN, "run-f", 1, "octo-org/hello", null));
        chromium.waitAtMost(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("run-changed")));
        assertThat(browser.findElement(By.id("log")).getText())
                .isEqualTo("Step 1/3 : FROM eclipse-temurin:17\nStep 2/3 : COPY . /app");
        assertThat(pageWasNotReloaded()).isTrue();
        Path screenshot = chromium.screenshot(HeadlessChromium.target("dashboard-run-page.png"));
        assertThat(HeadlessChromium.luminanceVariance(screenshot)).as("a screenshot with something drawn")
                .isGreaterThan(100);
    }

    @Test
    void theEnvironmentsPageShowsStagingLiveAndAnApprovalAsksForTheTokenAndShowsTheDeployersAnswer() {
        server.history.addDeployment(Runs.deployment("staging", "run-p", Runs.DIGEST, Runs.T0.plusSeconds(120)));
        server.deployerAnswers(409, "{\"message\":\"superseded by a newer run\"}");
        server.history.putEnvironment(Runs.productionWaiting("run-p"));
        open("/environments");
        markPage();

        server.history.putEnvironment(Runs.staging("run-p"));
        server.liveChanges().publish(new RunChange(RunChange.Kind.ENVIRONMENT, "run-p", 1, "octo-org/hello",
                "staging"));
        chromium.waitAtMost(WAIT).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("section.environment[data-environment='staging']")));
        assertThat(pageWasNotReloaded()).isTrue();
        WebElement staging = browser.findElement(By.cssSelector("section.environment[data-environment='staging']"));
        assertThat(staging.getText()).contains("staging", "octo-org/hello", "run-p", "http://127.0.0.1:18080");
        Path screenshot = chromium.screenshot(HeadlessChromium.target("dashboard-environments.png"));
        assertThat(HeadlessChromium.luminanceVariance(screenshot)).isGreaterThan(100);

        browser.findElement(By.cssSelector("button.approve")).click();
        chromium.waitAtMost(WAIT).until(ExpectedConditions.alertIsPresent()).sendKeys("operator-secret");
        browser.switchTo().alert().accept();
        chromium.waitAtMost(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"),
                "409 superseded by a newer run"));

        assertThat(server.deployerGot).containsExactly(new PagesServer.Received("/approvals",
                "Bearer operator-secret", "{\"run\":\"run-p\",\"environment\":\"production\"}"));
        assertThat((String) ((JavascriptExecutor) browser).executeScript(
                "return window.sessionStorage.getItem('slipway.operatorToken');")).isEqualTo("operator-secret");
    }

    /** Opens a page and waits until its script follows the event stream (no page follows it before: see empty()). */
    private void open(String path) {
        browser.get(server.url(path));
        await().atMost(WAIT).until(() -> server.liveChanges().subscribers() > 0);
    }

    @Test
    void aPageLeftBehindStopsFollowingTheStream() {
        open("/runs");

        browser.get("about:blank");

        await().atMost(WAIT).until(() -> server.liveChanges().subscribers() == 0);
    }

    private void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.slipwayTestMarker = 'same page';");
    }

    private boolean pageWasNotReloaded() {
        return "same page".equals(((JavascriptExecutor) browser).executeScript("return window.slipwayTestMarker;"));
    }
}

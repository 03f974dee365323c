package io.slipway.dashboard.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.slipway.common.policy.Names;
import io.slipway.dashboard.domain.LogSlice;
import io.slipway.dashboard.domain.RunDetail;
import io.slipway.dashboard.domain.RunFilter;
import io.slipway.dashboard.domain.RunHistory;
import io.slipway.dashboard.domain.RunPage;
import io.slipway.dashboard.domain.RunStatus;
import io.slipway.events.Stage;

import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The runs list ({@code /runs}, its live rows {@code /runs/rows}) and the run pages: {@code /runs/{runId}} (newest
 * attempt), {@code /runs/{runId}/{attempt}}, its log ({@code /log?from=N} as JSON, {@code /log.txt}) and its JUnit XML
 * ({@code /report.xml}). Parameters are checked first: a bad one is a 400 saying what was wrong.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class RunsController {

    /** Runs per page. */
    static final int PAGE_SIZE = 50;
    private static final int MAX_CURSOR_LENGTH = 512;
    private static final String HTML = MediaType.TEXT_HTML + ";charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunHistory history;
    private final Clock clock;

    RunsController(RunHistory history) {
        this.history = history;
        this.clock = Clock.systemUTC();
    }

    @Get
    HttpResponse<?> home() {
        return HttpResponse.seeOther(URI.create("/runs"));
    }

    @Get(value = "/runs", produces = HTML)
    String runs(@Nullable @QueryValue String repository, @Nullable @QueryValue String branch,
                @Nullable @QueryValue String status, @Nullable @QueryValue String stage,
                @Nullable @QueryValue String cursor) {
        RunFilter filter = filter(repository, branch, status, stage);
        String checkedCursor = cursor(cursor);
        RunPage page = page(filter, checkedCursor);
        return RunsPage.page(filter, checkedCursor, page, history.repositories(), clock.instant());
    }

    @Get(value = "/runs/rows", produces = HTML)
    String rows(@Nullable @QueryValue String repository, @Nullable @QueryValue String branch,
                @Nullable @QueryValue String status, @Nullable @QueryValue String stage,
                @Nullable @QueryValue String cursor) {
        return RunsPage.rows(page(filter(repository, branch, status, stage), cursor(cursor)).runs(), clock.instant());
    }

    @Get(value = "/runs/{runId}", produces = HTML)
    HttpResponse<String> newest(String runId) {
        return runPage(RunPaths.runId(runId), 0);
    }

    @Get(value = "/runs/{runId}/{attempt}", produces = HTML)
    HttpResponse<String> attempt(String runId, String attempt) {
        return runPage(RunPaths.runId(runId), RunPaths.attempt(attempt));
    }

    @Get(value = "/runs/{runId}/{attempt}/log", produces = MediaType.APPLICATION_JSON)
    String log(String runId, String attempt, @Nullable @QueryValue String from) {
        LogSlice slice = history.log(RunPaths.runId(runId), RunPaths.attempt(attempt), from(from));
        ObjectNode body = JSON.createObjectNode().put("text", slice.text()).put("next", slice.next())
                .put("complete", slice.complete()).put("truncated", slice.truncated());
        return body.toString();
    }

    @Get(value = "/runs/{runId}/{attempt}/log.txt")
    HttpResponse<String> logText(String runId, String attempt) {
        String id = RunPaths.runId(runId);
        int number = RunPaths.attempt(attempt);
        if (!history.attempts(id).contains(number)) {
            throw new NotFound("Not found", "Run " + id + " has no attempt " + number + ".");
        }
        StringBuilder text = new StringBuilder();
        int from = 0;
        while (true) {
            LogSlice slice = history.log(id, number, from);
            text.append(slice.text());
            if (slice.next() <= from) {
                break;
            }
            from = slice.next();
        }
        return HttpResponse.ok(text.toString()).contentType(MediaType.TEXT_PLAIN + ";charset=utf-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-" + number + ".log\"");
    }

    @Get(value = "/runs/{runId}/{attempt}/report.xml")
    HttpResponse<String> report(String runId, String attempt) {
        String id = RunPaths.runId(runId);
        int number = RunPaths.attempt(attempt);
        Optional<String> xml = history.junitXml(id, number);
        if (xml.isEmpty()) {
            throw new NotFound("Not found", "No test report arrived for this run attempt.");
        }
        return HttpResponse.ok(xml.get()).contentType(MediaType.APPLICATION_XML + ";charset=utf-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-" + number + ".xml\"");
    }

    private HttpResponse<String> runPage(String runId, int attempt) {
        Optional<RunDetail> run = history.run(runId, attempt);
        if (run.isEmpty()) {
            throw new NotFound("Run not found",
                    attempt == 0 ? "No run " + runId + " is known." : "Run " + runId + " has no attempt " + attempt + ".");
        }
        return HttpResponse.ok(RunView.page(run.get(), history.attempts(runId), clock.instant()))
                .contentType(HTML);
    }

    private RunPage page(RunFilter filter, String cursor) {
        try {
            return history.runs(filter, cursor, PAGE_SIZE);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the cursor is not one this dashboard made; start again from the newest runs");
        }
    }

    /** The filter of the query parameters; an empty parameter does not filter, a bad one is refused. */
    static RunFilter filter(String repository, String branch, String status, String stage) {
        String checkedRepository = blank(repository) ? null
                : checked("repository", repository, Names.repositoryProblem(repository));
        String checkedBranch = blank(branch) ? null
                : checked("branch", branch, Names.refProblem("refs/heads/" + branch));
        RunStatus checkedStatus = blank(status) ? null : parse(RunStatus.class, "status", status);
        Stage checkedStage = blank(stage) ? null : parse(Stage.class, "stage", stage);
        return new RunFilter(checkedRepository, checkedBranch, checkedStatus,
                checkedStage == null ? null : checkedStage.name());
    }

    private static String checked(String field, String value, Optional<String> problem) {
        if (problem.isPresent()) {
            throw new BadRequest(field + ": " + problem.get());
        }
        return value;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value) && !"UNKNOWN".equals(constant.name())) {
                return constant;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (!"UNKNOWN".equals(constant.name())) {
                known.append(known.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
            }
        }
        throw new BadRequest(field + " must be one of " + known + ", not " + Names.shown(value));
    }

    private static String cursor(String cursor) {
        if (blank(cursor)) {
            return null;
        }
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            throw new BadRequest("the cursor is not one this dashboard made; start again from the newest runs");
        }
        return cursor;
    }

    private static int from(String from) {
        if (blank(from)) {
            return 0;
        }
        try {
            int value = Integer.parseInt(from);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequest("from is a chunk number, 0 or more");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

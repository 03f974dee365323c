package io.slipway.dashboard.web;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.slipway.dashboard.domain.RunHistory;

/** The environments page: what runs where, what waits, and the recent deployments of each. */
@Controller("/environments")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EnvironmentsController {

    private final RunHistory history;

    EnvironmentsController(RunHistory history) {
        this.history = history;
    }

    @Get(produces = MediaType.TEXT_HTML + ";charset=utf-8")
    String environments() {
        return EnvironmentsPage.page(history.environments(),
                view -> history.deployments(view.environment(), view.repository(), EnvironmentsPage.HISTORY));
    }
}

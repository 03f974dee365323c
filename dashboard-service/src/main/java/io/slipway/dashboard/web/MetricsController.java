package io.slipway.dashboard.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.slipway.common.policy.Names;
import io.slipway.dashboard.domain.metrics.DeliveryFacts;
import io.slipway.dashboard.domain.metrics.DeliveryMetrics;
import io.slipway.dashboard.domain.metrics.DeliveryReport;
import io.slipway.dashboard.domain.metrics.Period;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /metrics} (the page) and {@code GET /metrics.json} (the same figures for scripts), over
 * {@code period=7d|30d|90d} (default 30d) and optionally one {@code repository}; anything else is answered 400 with
 * what was wrong (the page through {@link ErrorPages}, the JSON as {@code {"error": …}}). The database is read on the
 * blocking pool, never on the event loop.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class MetricsController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeliveryFacts facts;
    private final DeliveryMetrics metrics;
    private final String production;
    private final Clock clock;

    MetricsController(DeliveryFacts facts, @Value("${slipway.dashboard.production}") String production) {
        this.facts = facts;
        this.metrics = new DeliveryMetrics(production);
        this.production = production;
        this.clock = Clock.systemUTC();
    }

    @Get(uri = "/metrics", produces = MediaType.TEXT_HTML)
    HttpResponse<String> page(@Nullable @QueryValue String period, @Nullable @QueryValue String repository) {
        Optional<String> problem = problem(period, repository);
        if (problem.isPresent()) {
            throw new BadRequest(problem.get());
        }
        Period chosen = chosen(period);
        return HttpResponse.ok(MetricsPage.render(report(chosen, repository), chosen, production));
    }

    @Get(uri = "/metrics.json", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> json(@Nullable @QueryValue String period, @Nullable @QueryValue String repository) {
        Optional<String> problem = problem(period, repository);
        if (problem.isPresent()) {
            return json(HttpResponse.badRequest(), Map.of("error", problem.get()));
        }
        Period chosen = chosen(period);
        return json(HttpResponse.ok(), MetricsJson.of(report(chosen, repository), chosen, production));
    }

    private DeliveryReport report(Period period, @Nullable String repository) {
        Instant now = clock.instant();
        String only = blank(repository) ? null : repository;
        Instant from = period.start(now);
        Instant to = period.end(now);
        return metrics.compute(facts.between(from, to, only), from, to, only);
    }

    /** What is wrong with the query, or empty when it may be answered. */
    private static Optional<String> problem(@Nullable String period, @Nullable String repository) {
        if (period != null && Period.named(period).isEmpty()) {
            return Optional.of("period must be 7d, 30d or 90d, not " + Names.shown(period));
        }
        if (!blank(repository)) {
            Optional<String> problem = Names.repositoryProblem(repository);
            if (problem.isPresent()) {
                return Optional.of("repository " + Names.shown(repository) + " is not a repository name: "
                        + problem.get());
            }
        }
        return Optional.empty();
    }

    private static Period chosen(@Nullable String period) {
        return period == null ? Period.DAYS_30 : Period.named(period).orElseThrow();
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static HttpResponse<String> json(MutableHttpResponse<String> response, Object body) {
        try {
            return response.body(JSON.writeValueAsString(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the metrics as JSON", e);
        }
    }
}

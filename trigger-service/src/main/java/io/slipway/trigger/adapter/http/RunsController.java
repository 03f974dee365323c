package io.slipway.trigger.adapter.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.slipway.common.policy.Names;
import io.slipway.trigger.domain.ManualRun;
import io.slipway.trigger.domain.RequestService;
import io.slipway.trigger.domain.TriggerService;
import io.slipway.trigger.domain.WatchedRepositories;
import io.slipway.trigger.domain.WatchedRepository;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.slipway.trigger.adapter.http.Answers.reject;

/**
 * {@code POST /runs}: start or re-run a pipeline by hand, as "Build now" / "Retry" do in Jenkins and GitLab.
 * Requires {@code Authorization: Bearer <SLIPWAY_RUN_TOKEN>}; a re-run keeps its run id and gets the next attempt.
 * Repository, ref and sha are checked by {@link Names}: a refused one is answered 400 naming the field, with no run.
 * A manual run obeys what a push obeys and gets the same answers: a repository that is not watched 404, a ref its
 * filters exclude 200 {@code ignored}, a clone URL the policy forbids 422. Like a webhook it is handled on the
 * {@link RequestPool}, off the event loop, answered when Kafka acknowledged it, and 503 with {@code Retry-After} when
 * the pool is at its bounds.
 * {@code "request": N} instead of a ref runs the newest head of that pull or merge request again, as a new attempt
 * (404 when no run of it is known, 409 when it is closed or its head awaits approval).
 */
@Controller("/runs")
public class RunsController {

    /**
     * The request body; {@code sha} and {@code cloneUrl} are optional; {@code request} (a pull or merge request's
     * number) replaces {@code ref}.
     */
    @Serdeable
    public record RunRequest(@Nullable String repository, @Nullable String ref, @Nullable String sha,
                             @Nullable String cloneUrl, @Nullable Integer request) {
    }

    private final TriggerService trigger;
    private final RequestService requests;
    private final WatchedRepositories repositories;
    private final RunToken token;
    private final RequestPool pool;

    RunsController(TriggerService trigger, RequestService requests, WatchedRepositories repositories, RunToken token,
                   RequestPool pool) {
        this.trigger = trigger;
        this.requests = requests;
        this.repositories = repositories;
        this.token = token;
        this.pool = pool;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<Answer>> run(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                @Nullable @Body RunRequest request) {
        return pool.run(() -> handle(authorization, request),
                () -> Answer.rejected("too many requests are waiting to be recorded, please retry later"));
    }

    private CompletableFuture<HttpResponse<Answer>> handle(@Nullable String authorization,
                                                           @Nullable RunRequest request) {
        Optional<HttpResponse<Answer>> refused = token.refusal(authorization, "manual runs");
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        if (request == null) {
            return reject(HttpStatus.BAD_REQUEST, "body must be a JSON object with 'repository' and 'ref' (or 'request')");
        }
        if (request.request() != null) {
            return rerunRequest(request);
        }
        ManualRun run;
        try {
            run = new ManualRun(Names.repository("repository", request.repository()), Names.ref("ref", request.ref()),
                    request.sha() == null ? null : Names.sha("sha", request.sha()), request.cloneUrl(), "api");
        } catch (Names.Invalid e) {
            return reject(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        Optional<WatchedRepository> watched = repositories.find(run.repository());
        if (watched.isEmpty()) {
            return reject(HttpStatus.NOT_FOUND, "repository '" + run.repository() + "' is not watched by this Slipway");
        }
        return Answers.of(() -> trigger.manual(run, watched.get()), "could not record the run, please retry");
    }

    /** {@code "request": N}: the newest head of that pull or merge request runs again, as a new attempt. */
    private CompletableFuture<HttpResponse<Answer>> rerunRequest(RunRequest request) {
        if (request.ref() != null || request.sha() != null || request.cloneUrl() != null) {
            return reject(HttpStatus.BAD_REQUEST, "give 'request' alone, or 'ref' (and 'sha', 'cloneUrl'), not both");
        }
        return RequestCalls.act(repositories, request.repository(), request.request(), requests::rerun);
    }
}

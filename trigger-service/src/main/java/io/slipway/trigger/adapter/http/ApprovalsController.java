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
import io.slipway.trigger.domain.RequestService;
import io.slipway.trigger.domain.WatchedRepositories;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.slipway.trigger.adapter.http.Answers.reject;

/**
 * {@code POST /approvals}: an operator approves a fork's pull or merge request, as GitHub's "Approve and run" does.
 * Requires the run token of {@code POST /runs}. The run that waited starts (202) and the approval holds for the
 * request's later heads; a request the trigger does not know is 404, one with nothing waiting 409.
 */
@Controller("/approvals")
public class ApprovalsController {

    /** The request body: the target repository's full name and the request's number. */
    @Serdeable
    public record ApprovalRequest(@Nullable String repository, @Nullable Integer request) {
    }

    private final RequestService requests;
    private final WatchedRepositories repositories;
    private final RunToken token;
    private final RequestPool pool;

    ApprovalsController(RequestService requests, WatchedRepositories repositories, RunToken token, RequestPool pool) {
        this.requests = requests;
        this.repositories = repositories;
        this.token = token;
        this.pool = pool;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<Answer>> approve(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                    @Nullable @Body ApprovalRequest approval) {
        return pool.run(() -> handle(authorization, approval),
                () -> Answer.rejected("too many requests are waiting to be recorded, please retry later"));
    }

    private CompletableFuture<HttpResponse<Answer>> handle(@Nullable String authorization,
                                                           @Nullable ApprovalRequest approval) {
        Optional<HttpResponse<Answer>> refused = token.refusal(authorization, "approvals");
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        if (approval == null) {
            return reject(HttpStatus.BAD_REQUEST, "body must be a JSON object with 'repository' and 'request'");
        }
        return RequestCalls.act(repositories, approval.repository(), approval.request(), requests::approve);
    }
}

package io.slipway.notifier.adapter.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.policy.ApiPaths;
import io.slipway.notifier.adapter.http.IssueList;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.CommitStatuses;
import io.slipway.notifier.domain.Deployment;
import io.slipway.notifier.domain.ForgeDeployments;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.domain.IssueTracker;
import io.slipway.notifier.domain.Notification;
import io.slipway.notifier.domain.RequestComments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub's REST API (api.github.com or an Enterprise Server's {@code /api/v3}): issues
 * ({@code POST /repos/{owner}/{repo}/issues}, {@code …/issues/{number}/comments}, {@code PATCH …/issues/{number}}
 * with {@code state=closed}, and the open issues with its labels that its own account opened,
 * {@code GET …/issues?state=open&creator=<login>&labels=…} with the login from {@code GET /user}, to find its own) and
 * commit statuses ({@code POST /repos/{owner}/{repo}/statuses/{sha}}, a request's to its head) and the comments on
 * pull requests ({@code POST …/issues/{number}/comments}, {@code PATCH …/issues/comments/{comment_id}}, and
 * {@code GET …/issues/{number}/comments} to find its own, always in the run's repository) and deployments
 * ({@code POST …/deployments} of the sha to the environment, without auto-merge or required contexts, then
 * {@code POST …/deployments/{id}/statuses}; a 202 answer, GitHub's auto-merge, created no deployment and is skipped),
 * authenticated
 * with a bearer token and pinned to API version 2022-11-28. Issues go to {@code issueRepository} when set, else to
 * the repository of the run. Paths are built by {@link ApiPaths} from encoded segments: a repository that is not an
 * {@code owner/name} is refused before any request (the delivery is dead-lettered), so no name can climb the path.
 */
public final class GitHubForge implements IssueTracker, CommitStatuses, RequestComments, ForgeDeployments {

    private static final Logger LOG = LoggerFactory.getLogger(GitHubForge.class);

    private static final IssueList.Dialect LIST = new IssueList.Dialect(
            List.of("state", "open", "sort", "created", "direction", "desc"), login -> List.of("creator", login),
            "number", "html_url", "body", "/user/login", "login", List.of(), "html_url");

    private final JsonHttp.Api api;
    private final List<String> labels;
    private final IssueList issueList;
    private final String issueRepository;
    private final String context;

    public GitHubForge(String name, URI baseUrl, String token, List<String> labels, String issueRepository,
                       String context, JsonHttp http) {
        this.api = http.api(baseUrl, Map.of(
                "Authorization", "Bearer " + token,
                "Accept", "application/vnd.github+json",
                "X-GitHub-Api-Version", "2022-11-28",
                "User-Agent", "slipway-notifier"), "github:" + name);
        this.labels = List.copyOf(labels);
        this.issueList = new IssueList(api, LIST, labels);
        this.issueRepository = issueRepository;
        this.context = context;
    }

    @Override
    public IssueRef open(String repository, String title, String body) {
        JsonNode issue = api.call("POST", issues(repository), JsonHttp.object("title", title, "body", body,
                "labels", labels.isEmpty() ? null : labels));
        return new IssueRef(issue.path("number").asText(), issue.path("html_url").asText(null));
    }

    @Override
    public Optional<FoundIssue> findOpen(String repository, IssueMarker wanted) {
        return issueList.find(issues(repository), wanted);
    }

    @Override
    public void comment(String repository, IssueRef issue, String body) {
        api.call("POST", issues(repository) + ApiPaths.of(issue.id(), "comments"), JsonHttp.object("body", body));
    }

    @Override
    public void close(String repository, IssueRef issue) {
        api.call("PATCH", issues(repository) + ApiPaths.of(issue.id()),
                JsonHttp.object("state", "closed", "state_reason", "completed"));
    }

    @Override
    public void set(Notification n, State state, String description, String targetUrl) {
        String value = switch (state) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failure";
            case CANCELLED -> "error";
            case SKIPPED -> "success";
        };
        api.call("POST", ApiPaths.githubRepository(n.repository()) + ApiPaths.of("statuses", n.statusSha()),
                JsonHttp.object("state", value, "target_url", targetUrl, "description", description,
                        "context", CommitStatuses.context(context, n)));
    }

    @Override
    public CommentRef post(String repository, ChangeRequest request, String body) {
        JsonNode comment = api.call("POST", comments(repository, request), JsonHttp.object("body", body));
        return new CommentRef(comment.path("id").asText(), comment.path("html_url").asText(null));
    }

    @Override
    public void update(String repository, ChangeRequest request, CommentRef comment, String body) {
        api.call("PATCH", ApiPaths.githubRepository(repository) + ApiPaths.of("issues", "comments", comment.id()),
                JsonHttp.object("body", body));
    }

    @Override
    public Optional<FoundComment> findOwn(String repository, ChangeRequest request, IssueMarker wanted) {
        return issueList.findComment(comments(repository, request), wanted, id -> null);
    }

    @Override
    public Optional<String> create(Notification n, Result result, String description) {
        Deployment d = n.deployment();
        JsonNode payload = JsonHttp.object("runId", n.runId(), "eventId", n.eventId(),
                "digest", n.artifact() == null ? null : n.artifact().digest(), "previousDigest", d.previousDigest(),
                "rollback", d.rollback(), "rolledBackRunId", d.rolledBackRunId(), "reason", d.reason());
        JsonNode created = api.call("POST", ApiPaths.githubRepository(n.repository()) + "/deployments",
                JsonHttp.object("ref", n.sha(), "environment", d.environment(), "auto_merge", false,
                        "required_contexts", List.of(), "production_environment", d.production(),
                        "payload", payload.toString(), "description", description));
        if (!created.hasNonNull("id")) {
            LOG.warn("{}: GitHub created no deployment of {} to {} ({}); no status is set", api.label(), n.shortSha(),
                    d.environment(), created.path("message").asText("no id in its answer"));
            return Optional.empty();
        }
        return Optional.of(created.get("id").asText());
    }

    @Override
    public void status(Notification n, String id, Result result, String description, String logUrl) {
        Deployment d = n.deployment();
        api.call("POST", ApiPaths.githubRepository(n.repository()) + ApiPaths.of("deployments", id, "statuses"),
                JsonHttp.object("state", result == Result.SUCCESS ? "success" : "failure",
                        "environment", d.environment(), "environment_url", result == Result.SUCCESS ? d.url() : null,
                        "log_url", logUrl, "description", description));
    }

    private static String comments(String repository, ChangeRequest request) {
        return ApiPaths.githubRepository(repository)
                + ApiPaths.of("issues", Integer.toString(request.number()), "comments");
    }

    private String issues(String repository) {
        return ApiPaths.githubRepository(issueRepository == null || issueRepository.isBlank() ? repository
                : issueRepository) + "/issues";
    }
}

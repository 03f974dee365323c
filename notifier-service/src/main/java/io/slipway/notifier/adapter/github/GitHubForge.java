package io.slipway.notifier.adapter.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.policy.ApiPaths;
import io.slipway.notifier.adapter.http.IssueList;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.CommitStatuses;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.domain.IssueTracker;
import io.slipway.notifier.domain.Notification;
import io.slipway.notifier.domain.RequestComments;

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
 * {@code GET …/issues/{number}/comments} to find its own, always in the run's repository), authenticated
 * with a bearer token and pinned to API version 2022-11-28. Issues go to {@code issueRepository} when set, else to
 * the repository of the run. Paths are built by {@link ApiPaths} from encoded segments: a repository that is not an
 * {@code owner/name} is refused before any request (the delivery is dead-lettered), so no name can climb the path.
 */
public final class GitHubForge implements IssueTracker, CommitStatuses, RequestComments {

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

    private static String comments(String repository, ChangeRequest request) {
        return ApiPaths.githubRepository(repository)
                + ApiPaths.of("issues", Integer.toString(request.number()), "comments");
    }

    private String issues(String repository) {
        return ApiPaths.githubRepository(issueRepository == null || issueRepository.isBlank() ? repository
                : issueRepository) + "/issues";
    }
}

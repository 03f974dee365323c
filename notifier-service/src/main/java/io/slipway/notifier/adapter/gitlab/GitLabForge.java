package io.slipway.notifier.adapter.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.policy.ApiPaths;
import io.slipway.notifier.adapter.http.IssueList;
import io.slipway.notifier.adapter.http.JsonHttp;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.CommitStatuses;
import io.slipway.notifier.domain.ForgeDeployments;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.domain.IssueTracker;
import io.slipway.notifier.domain.Notification;
import io.slipway.notifier.domain.NotificationRejected;
import io.slipway.notifier.domain.RequestComments;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitLab's REST API v4 (gitlab.com or a self-hosted {@code https://host/api/v4}): issues
 * ({@code POST /projects/:id/issues}, {@code …/issues/:iid/notes}, {@code PUT …/issues/:iid} with
 * {@code state_event=close}, and the open issues with its labels that its own account opened,
 * {@code GET …/issues?state=opened&scope=created_by_me&labels=…}, each checked against the {@code username} of
 * {@code GET /user}, to find its own), commit statuses ({@code POST /projects/:id/statuses/:sha}, a request's to its
 * head), notes on merge requests ({@code POST /projects/:id/merge_requests/:iid/notes}, {@code PUT …/notes/:note_id},
 * and {@code GET …/notes?sort=desc&order_by=created_at} to find its own, always in the run's project) and deployments
 * ({@code POST /projects/:id/deployments} with the environment, sha, ref, whether it is a tag, and the result),
 * authenticated with a {@code PRIVATE-TOKEN}. {@code :id} is the project path URL-encoded as one segment, and every
 * other segment is encoded too ({@link ApiPaths}); a project path that is not a valid repository name is refused before
 * any request. A status GitLab already has for the commit ("Cannot transition status") counts as set, so a redelivered
 * status is not a failure.
 */
public final class GitLabForge implements IssueTracker, CommitStatuses, RequestComments, ForgeDeployments {

    private static final IssueList.Dialect LIST = new IssueList.Dialect(
            List.of("state", "opened", "order_by", "created_at", "sort", "desc"),
            login -> List.of("scope", "created_by_me"), "iid", "web_url", "description", "/author/username", "username",
            List.of("sort", "desc", "order_by", "created_at"), null);

    private final JsonHttp.Api api;
    private final List<String> labels;
    private final IssueList issueList;
    private final String issueProject;
    private final String context;

    public GitLabForge(String name, URI baseUrl, String token, List<String> labels, String issueProject,
                       String context, JsonHttp http) {
        this.api = http.api(baseUrl, Map.of("PRIVATE-TOKEN", token, "Accept", "application/json"), "gitlab:" + name);
        this.labels = List.copyOf(labels);
        this.issueList = new IssueList(api, LIST, labels);
        this.issueProject = issueProject;
        this.context = context;
    }

    @Override
    public IssueRef open(String repository, String title, String body) {
        JsonNode issue = api.call("POST", issues(repository), JsonHttp.object("title", title, "description", body,
                "labels", labels.isEmpty() ? null : String.join(",", labels)));
        return new IssueRef(issue.path("iid").asText(), issue.path("web_url").asText(null));
    }

    @Override
    public Optional<FoundIssue> findOpen(String repository, IssueMarker wanted) {
        return issueList.find(issues(repository), wanted);
    }

    @Override
    public void comment(String repository, IssueRef issue, String body) {
        api.call("POST", issues(repository) + ApiPaths.of(issue.id(), "notes"), JsonHttp.object("body", body));
    }

    @Override
    public void close(String repository, IssueRef issue) {
        api.call("PUT", issues(repository) + ApiPaths.of(issue.id()), JsonHttp.object("state_event", "close"));
    }

    @Override
    public void set(Notification n, State state, String description, String targetUrl) {
        String value = switch (state) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failed";
            case CANCELLED -> "canceled";
            case SKIPPED -> "skipped";
        };
        try {
            api.call("POST", ApiPaths.gitlabProject(n.repository()) + ApiPaths.of("statuses", n.statusSha()),
                    JsonHttp.object("state", value, "name", CommitStatuses.context(context, n), "description", description,
                            "target_url", targetUrl, "ref", n.onBranch() ? n.branch() : null));
        } catch (NotificationRejected e) {
            if (e.status() != 400 || !e.response().contains("Cannot transition status")) {
                throw e;
            }
        }
    }

    @Override
    public CommentRef post(String repository, ChangeRequest request, String body) {
        JsonNode note = api.call("POST", notes(repository, request), JsonHttp.object("body", body));
        String id = note.path("id").asText();
        return new CommentRef(id, noteUrl(request, id));
    }

    @Override
    public void update(String repository, ChangeRequest request, CommentRef comment, String body) {
        api.call("PUT", notes(repository, request) + ApiPaths.of(comment.id()), JsonHttp.object("body", body));
    }

    @Override
    public Optional<FoundComment> findOwn(String repository, ChangeRequest request, IssueMarker wanted) {
        return issueList.findComment(notes(repository, request), wanted, id -> noteUrl(request, id));
    }

    /** GitLab takes the result with the deployment: nothing is left to set. */
    @Override
    public Optional<String> create(Notification n, Result result, String description) {
        boolean tag = n.ref().startsWith("refs/tags/");
        String ref = tag ? n.ref().substring("refs/tags/".length()) : n.onBranch() || !n.isRequest() ? n.branch()
                : n.request().sourceBranch();
        api.call("POST", ApiPaths.gitlabProject(n.repository()) + "/deployments", JsonHttp.object(
                "environment", n.deployment().environment(), "sha", n.sha(), "ref", ref, "tag", tag,
                "status", result == Result.SUCCESS ? "success" : "failed"));
        return Optional.empty();
    }

    @Override
    public void status(Notification n, String id, Result result, String description, String logUrl) {
        throw new UnsupportedOperationException("GitLab takes a deployment's status when it is created");
    }

    private static String notes(String repository, ChangeRequest request) {
        return ApiPaths.gitlabProject(repository)
                + ApiPaths.of("merge_requests", Integer.toString(request.number()), "notes");
    }

    /** A note's page: GitLab answers none, so it is the request's page with the note's anchor (null without one). */
    private static String noteUrl(ChangeRequest request, String id) {
        return request.webUrl() == null || request.webUrl().isBlank() ? null : request.webUrl() + "#note_" + id;
    }

    private String issues(String repository) {
        return ApiPaths.gitlabProject(issueProject == null || issueProject.isBlank() ? repository : issueProject)
                + "/issues";
    }
}

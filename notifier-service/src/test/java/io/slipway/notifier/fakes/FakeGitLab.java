package io.slipway.notifier.fakes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A self-hosted GitLab's REST API v4 (under {@code /api/v4}) as documented in {@code fixtures/gitlab/rest}:
 * the token's account ({@code GET /user}, answered even while failures are scripted, since those are meant for the
 * calls under test), issues (create, list with {@code scope=created_by_me}, note, close with {@code state_event}),
 * merge request notes (create, list sorted, update), commit statuses and deployments (create, every documented
 * attribute required), with a {@code PRIVATE-TOKEN} and the
 * project addressed by its URL-encoded path. Bodies are checked against the documented attributes ({@code labels}
 * is a comma-separated string); answers are the documented responses, 401 for a wrong token, 404 for an unknown
 * issue, 400 for a malformed body, and 400 "Cannot transition status" when a commit already has that status.
 */
public final class FakeGitLab extends FakeApi {

    private static final String PROJECT = "/api/v4/projects/([\\w.-]+%2F[\\w.%-]+)";
    private static final Pattern ISSUES = Pattern.compile(PROJECT + "/issues");
    private static final Pattern ISSUE = Pattern.compile(PROJECT + "/issues/(\\d+)");
    private static final Pattern NOTES = Pattern.compile(PROJECT + "/issues/(\\d+)/notes");
    private static final Pattern STATUSES = Pattern.compile(PROJECT + "/statuses/([0-9a-f]{40})");
    private static final Pattern MR_NOTES = Pattern.compile(PROJECT + "/merge_requests/(\\d+)/notes");
    private static final Pattern MR_NOTE = Pattern.compile(PROJECT + "/merge_requests/(\\d+)/notes/(\\d+)");
    private static final Map<String, Set<String>> NOTE_LIST_PARAMETERS = Map.of(
            "sort", Set.of("asc", "desc"), "order_by", Set.of("created_at", "updated_at"),
            "per_page", Set.of(), "page", Set.of());
    private static final Set<String> STATES = Set.of("pending", "running", "success", "failed", "canceled", "skipped");
    private static final Pattern DEPLOYMENTS = Pattern.compile(PROJECT + "/deployments");
    private static final Set<String> DEPLOYMENT_STATUSES = Set.of("running", "success", "failed", "canceled");
    private static final Set<String> ISSUE_ATTRIBUTES = Set.of("description", "assignee_id", "assignee_ids",
            "confidential", "due_date", "issue_type", "milestone_id");
    private static final Map<String, Set<String>> LIST_PARAMETERS = Map.ofEntries(
            Map.entry("state", Set.of("opened", "closed")), Map.entry("labels", Set.of()), Map.entry("milestone", Set.of()),
            Map.entry("order_by", Set.of("created_at", "updated_at", "priority", "due_date", "relative_position",
                    "label_priority", "milestone_due", "popularity", "weight", "title")),
            Map.entry("sort", Set.of("asc", "desc")), Map.entry("search", Set.of()), Map.entry("in", Set.of()),
            Map.entry("author_id", Set.of()), Map.entry("assignee_id", Set.of()), Map.entry("per_page", Set.of()),
            Map.entry("page", Set.of()), Map.entry("scope", Set.of("created_by_me", "assigned_to_me", "all")));
    private static final Set<String> STATUS_ATTRIBUTES = Set.of("name", "context", "target_url", "description", "ref",
            "coverage", "pipeline_id");

    private final String token;
    private final String username = "eileen.lowe";
    private final AtomicInteger iids = new AtomicInteger(13);
    private final Map<String, ObjectNode> issues = new ConcurrentHashMap<>();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final Set<String> mergeRequests = ConcurrentHashMap.newKeySet();
    private final java.util.List<ObjectNode> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Merge request notes on threads named {@code project!iid}. */
    private final CommentThreads notes = new CommentThreads(300);

    public FakeGitLab(String token) {
        this.token = token;
    }

    /** The API base URL to configure, as for a self-hosted instance. */
    public URI apiUrl() {
        return uri().resolve("/api/v4");
    }

    /** An open issue someone else ({@code author}) opened with these labels; returns its iid. */
    public String plantIssue(String project, String author, String description, java.util.List<String> labels) {
        String iid = Integer.toString(iids.incrementAndGet());
        ObjectNode issue = Fixtures.object("gitlab/rest/create-issue.response.json");
        ((ObjectNode) issue.get("author")).put("username", author);
        issue.put("iid", Integer.parseInt(iid)).put("description", description).put("state", "opened")
                .put("web_url", "http://gitlab.example.com/" + project + "/-/issues/" + iid);
        issue.putArray("labels").addAll(labels.stream().map(Fixtures.JSON.getNodeFactory()::textNode).toList());
        issues.put(project + "#" + iid, issue);
        return iid;
    }

    /** An open merge request of the project; returns its iid. */
    public String openMergeRequest(String project) {
        String iid = Integer.toString(iids.incrementAndGet());
        mergeRequests.add(project + "!" + iid);
        return iid;
    }

    /** A note someone ({@code author}) wrote on a merge request; returns its id. */
    public String plantNote(String project, String iid, String author, String body) {
        ObjectNode note = note(project, iid, body);
        ((ObjectNode) note.get("author")).put("username", author);
        return note.get("id").asText();
    }

    /** The notes of a merge request as GitLab now has them, oldest first. */
    public java.util.List<ObjectNode> notesOn(String project, String iid) {
        return notes.on(project + "!" + iid);
    }

    private ObjectNode note(String project, String iid, String body) {
        return notes.add(project + "!" + iid, id -> {
            ObjectNode note = Fixtures.object("gitlab/rest/merge-request-note.response.json");
            ((ObjectNode) note.get("author")).put("username", username);
            return note.put("id", id).put("body", body).put("noteable_iid", Integer.parseInt(iid));
        });
    }

    /** The deployments of a project as GitLab now has them, oldest first. */
    public java.util.List<ObjectNode> deploymentsOf(String project) {
        return deployments.stream().filter(d -> project.equals(d.path("project").asText())).toList();
    }

    public ObjectNode issue(String project, String iid) {
        return issues.get(project + "#" + iid);
    }

    @Override
    protected Answer check(Request r) {
        if (!token.equals(r.header("private-token")) && !("Bearer " + token).equals(r.header("authorization"))) {
            return Answer.json(401, message("401 Unauthorized"));
        }
        if (r.method().equals("GET") && !r.body().isEmpty()) {
            return violation(r, "a GET carries no body", Answer.json(400, message("400 Bad request")));
        }
        if (!r.method().equals("GET") && (r.header("content-type") == null || !r.header("content-type").startsWith("application/json"))) {
            return violation(r, "a JSON body needs Content-Type: application/json", Answer.json(400, message("400 Bad request")));
        }
        String path = r.rawPath();
        String problem;
        if (r.method().equals("GET") && path.equals("/api/v4/user")) {
            return Answer.json(200, Fixtures.object("gitlab/rest/current-user.response.json").put("username", username));
        }
        if (r.method().equals("POST") && ISSUES.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("gitlab/rest/create-issue.request.json"), ISSUE_ATTRIBUTES, "title");
        } else if (r.method().equals("GET") && ISSUES.matcher(path).matches()) {
            problem = queryProblem(r, LIST_PARAMETERS);
        } else if (r.method().equals("POST") && NOTES.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.JSON.createObjectNode().put("body", ""), Set.of("internal", "created_at"), "body");
        } else if (r.method().equals("PUT") && ISSUE.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.JSON.createObjectNode().put("state_event", ""),
                    Set.of("title", "description", "labels", "assignee_ids"), "state_event");
            if (problem == null && !Set.of("close", "reopen").contains(r.json().get("state_event").asText())) {
                problem = "state_event must be close or reopen";
            }
        } else if (r.method().equals("POST") && MR_NOTES.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("gitlab/rest/create-merge-request-note.request.json"),
                    Set.of("internal", "created_at", "merge_request_diff_head_sha"), "body");
        } else if (r.method().equals("GET") && MR_NOTES.matcher(path).matches()) {
            problem = queryProblem(r, NOTE_LIST_PARAMETERS);
        } else if (r.method().equals("PUT") && MR_NOTE.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.JSON.createObjectNode().put("body", ""), Set.of("confidential"), "body");
        } else if (r.method().equals("POST") && STATUSES.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("gitlab/rest/commit-status.request.json"), STATUS_ATTRIBUTES, "state");
            if (problem == null && !STATES.contains(r.json().get("state").asText())) {
                problem = "state does not have a valid value";
            }
        } else if (r.method().equals("POST") && DEPLOYMENTS.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("gitlab/rest/create-deployment.request.json"), Set.of(),
                    "environment", "sha", "ref", "tag", "status");
            if (problem == null && !DEPLOYMENT_STATUSES.contains(r.json().get("status").asText())) {
                problem = "status does not have a valid value";
            }
        } else {
            return violation(r, "no such endpoint (is the project path URL-encoded?)", Answer.json(404, message("404 Not Found")));
        }
        if (problem != null) {
            return violation(r, problem, Answer.json(400, Fixtures.json("gitlab/rest/error-400-missing-attribute.json")));
        }
        Matcher request = MR_NOTE.matcher(path).matches() ? MR_NOTE.matcher(path) : MR_NOTES.matcher(path);
        if (request.matches() && !mergeRequests.contains(project(request) + "!" + request.group(2))) {
            return Answer.json(404, message("404 Not found"));
        }
        if (request.pattern() == MR_NOTE && notes.get(request.group(3), project(request) + "!" + request.group(2)) == null) {
            return Answer.json(404, message("404 Note Not Found"));
        }
        Matcher issue = path.contains("/issues/") ? (NOTES.matcher(path).matches() ? NOTES.matcher(path) : ISSUE.matcher(path)) : null;
        if (issue != null && issue.matches() && !issues.containsKey(project(issue) + "#" + issue.group(2))) {
            return Answer.json(404, message("404 Issue Not Found"));
        }
        return null;
    }

    @Override
    protected Answer respond(Request r) {
        String path = r.rawPath();
        Matcher m;
        if (r.method().equals("GET") && (m = ISSUES.matcher(path)).matches()) {
            return Answer.json(200, Fixtures.JSON.valueToTree(page(r, listed(project(m), r.query()))));
        }
        if (r.method().equals("GET") && (m = MR_NOTES.matcher(path)).matches()) {
            java.util.List<ObjectNode> all = new java.util.ArrayList<>(notesOn(project(m), m.group(2)));
            if (!"asc".equals(r.query().get("sort"))) {
                java.util.Collections.reverse(all);
            }
            return Answer.json(200, Fixtures.JSON.valueToTree(page(r, all)));
        }
        if ((m = MR_NOTES.matcher(path)).matches()) {
            return Answer.json(201, note(project(m), m.group(2), r.json().get("body").asText()));
        }
        if ((m = MR_NOTE.matcher(path)).matches()) {
            ObjectNode note = notes.get(m.group(3), project(m) + "!" + m.group(2));
            note.put("body", r.json().get("body").asText()).put("updated_at", "2025-03-14T09:31:00.000Z");
            return Answer.json(200, note);
        }
        if ((m = ISSUES.matcher(path)).matches()) {
            String iid = Integer.toString(iids.incrementAndGet());
            ObjectNode issue = Fixtures.object("gitlab/rest/create-issue.response.json");
            issue.put("iid", Integer.parseInt(iid)).put("title", r.json().get("title").asText())
                    .put("description", r.json().path("description").asText(null)).put("state", "opened")
                    .put("web_url", "http://gitlab.example.com/" + project(m) + "/-/issues/" + iid);
            ((ObjectNode) issue.get("author")).put("username", username);
            issue.putArray("labels").addAll(java.util.Arrays.stream(r.json().path("labels").asText("").split(","))
                    .filter(l -> !l.isBlank()).map(Fixtures.JSON.getNodeFactory()::textNode).toList());
            issues.put(project(m) + "#" + iid, issue);
            return Answer.json(201, issue);
        }
        if ((m = NOTES.matcher(path)).matches()) {
            return Answer.json(201, Fixtures.JSON.createObjectNode().put("id", 302).put("body", r.json().get("body").asText())
                    .put("noteable_type", "Issue").put("noteable_iid", Integer.parseInt(m.group(2))).put("system", false)
                    .put("created_at", "2025-03-14T09:30:00.000Z"));
        }
        if ((m = ISSUE.matcher(path)).matches()) {
            ObjectNode issue = issues.get(project(m) + "#" + m.group(2));
            if ("close".equals(r.json().get("state_event").asText())) {
                issue.put("state", "closed").put("closed_at", "2025-03-14T09:30:00.000Z");
            }
            return Answer.json(200, issue);
        }
        if ((m = DEPLOYMENTS.matcher(path)).matches()) {
            ObjectNode deployment = Fixtures.object("gitlab/rest/create-deployment.response.json");
            deployment.put("id", 42 + deployments.size()).put("iid", deployments.size() + 1)
                    .put("ref", r.json().get("ref").asText()).put("sha", r.json().get("sha").asText())
                    .put("status", r.json().get("status").asText());
            ((ObjectNode) deployment.get("environment")).put("name", r.json().get("environment").asText());
            deployments.add(deployment.deepCopy().put("project", project(m)).put("tag", r.json().get("tag").asBoolean()));
            return Answer.json(201, deployment);
        }
        m = STATUSES.matcher(path);
        m.matches();
        String state = r.json().get("state").asText();
        String name = r.json().path("name").asText(r.json().path("context").asText("default"));
        String previous = statuses.put(m.group(2) + "/" + name, state);
        if (state.equals(previous)) {
            return Answer.json(400, message("Cannot transition status via :" + state + " from :" + previous
                    + " (Reasons: status cannot transition via \"" + state + "\")"));
        }
        ObjectNode status = Fixtures.object("gitlab/rest/commit-status.response.json");
        status.put("sha", m.group(2)).put("status", state).put("name", name)
                .put("description", r.json().path("description").asText(null))
                .put("target_url", r.json().path("target_url").asText(null)).put("ref", r.json().path("ref").asText(null));
        return Answer.json(201, status);
    }

    /** The project's issues a list request selects (state, scope, labels), newest first as {@code order_by=created_at} gives them. */
    private java.util.List<ObjectNode> listed(String project, Map<String, String> query) {
        java.util.List<String> labels = query.containsKey("labels") ? java.util.List.of(query.get("labels").split(","))
                : java.util.List.of();
        return issues.entrySet().stream().filter(e -> e.getKey().startsWith(project + "#")).map(Map.Entry::getValue)
                .filter(i -> !query.containsKey("state") || query.get("state").equals(i.get("state").asText()))
                .filter(i -> !"created_by_me".equals(query.get("scope"))
                        || username.equals(i.path("author").path("username").asText()))
                .filter(i -> labels.stream().allMatch(l -> java.util.stream.StreamSupport
                        .stream(i.path("labels").spliterator(), false).anyMatch(name -> name.asText().equals(l))))
                .sorted(java.util.Comparator.comparing((ObjectNode i) -> i.get("iid").asInt()).reversed())
                .toList();
    }

    private static String project(Matcher m) {
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    private static ObjectNode message(String message) {
        return Fixtures.JSON.createObjectNode().put("message", message);
    }
}

package io.slipway.notifier.fakes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API as documented in {@code fixtures/github/rest}: the token's account ({@code GET /user}, answered
 * even while failures are scripted, since those are meant for the calls under test), issues (create, list with the
 * {@code creator} filter, comment, close), the comments of an issue or pull request (create, list oldest first,
 * update by comment id), commit statuses and deployments (create, which answers 201 with the deployment or, when
 * scripted, the documented 202 of an auto-merge; their statuses, where a {@code success} makes the environment's
 * earlier successful deployments {@code inactive} unless {@code auto_inactive} is false), with a bearer token, {@code Accept: application/vnd.github+json}, {@code X-GitHub-Api-Version: 2022-11-28}
 * and a {@code User-Agent}. Bodies are checked against the documented request examples; answers are the documented
 * responses (201 with {@code Location}, 200 for an update), 401 for a wrong token, 404 for an unknown issue and 422
 * "Validation Failed" for a malformed body.
 */
public final class FakeGitHub extends FakeApi {

    private static final Pattern ISSUES = Pattern.compile("/repos/([\\w.-]+/[\\w.-]+)/issues");
    private static final Pattern ISSUE = Pattern.compile("/repos/([\\w.-]+/[\\w.-]+)/issues/(\\d+)");
    private static final Pattern COMMENTS = Pattern.compile("/repos/([\\w.-]+/[\\w.-]+)/issues/(\\d+)/comments");
    private static final Pattern COMMENT = Pattern.compile("/repos/([\\w.-]+/[\\w.-]+)/issues/comments/(\\d+)");
    private static final Map<String, Set<String>> COMMENT_LIST_PARAMETERS = Map.of(
            "since", Set.of(), "per_page", Set.of(), "page", Set.of());
    private static final Pattern STATUSES = Pattern.compile("/repos/([\\w.-]+/[\\w.-]+)/statuses/([0-9a-f]{40})");
    private static final Set<String> STATES = Set.of("error", "failure", "pending", "success");
    private static final Pattern DEPLOYMENTS = Pattern.compile("/repos/([\\w.-]+/[\\w.-]+)/deployments");
    private static final Pattern DEPLOYMENT_STATUSES = Pattern.compile("/repos/([\\w.-]+/[\\w.-]+)/deployments/(\\d+)/statuses");
    private static final Set<String> DEPLOYMENT_STATES = Set.of("error", "failure", "inactive", "in_progress", "queued",
            "pending", "success");
    private static final Map<String, Set<String>> LIST_PARAMETERS = Map.ofEntries(
            Map.entry("state", Set.of("open", "closed", "all")), Map.entry("labels", Set.of()),
            Map.entry("milestone", Set.of()), Map.entry("assignee", Set.of()), Map.entry("type", Set.of()),
            Map.entry("creator", Set.of()), Map.entry("mentioned", Set.of()),
            Map.entry("sort", Set.of("created", "updated", "comments")), Map.entry("direction", Set.of("asc", "desc")),
            Map.entry("since", Set.of()), Map.entry("per_page", Set.of()), Map.entry("page", Set.of()));

    private final String token;
    private final String login = "octocat";
    private final AtomicInteger numbers = new AtomicInteger(1346);
    private final Map<String, ObjectNode> issues = new ConcurrentHashMap<>();
    /** Comments on threads named {@code repository#number}. */
    private final CommentThreads comments = new CommentThreads(0);
    private final AtomicInteger deploymentIds = new AtomicInteger(0);
    /** Deployments by {@code repository#id}, in the order they were created, each with its statuses' states. */
    private final Map<String, ObjectNode> deployments = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, java.util.List<String>> deploymentStates = new ConcurrentHashMap<>();

    public FakeGitHub(String token) {
        this.token = token;
    }

    /** Every issue of a repository, as GitHub now has it, in the order they were opened. */
    public java.util.List<ObjectNode> issuesOf(String repository) {
        return issues.entrySet().stream().filter(e -> e.getKey().startsWith(repository + "#"))
                .sorted(java.util.Map.Entry.comparingByKey()).map(java.util.Map.Entry::getValue).toList();
    }

    /**
     * An open issue someone else ({@code author}) opened with these labels, as issue templates and people with triage
     * rights can; returns its number.
     */
    public String plantIssue(String repository, String author, String body, java.util.List<String> labels) {
        String number = Integer.toString(numbers.incrementAndGet());
        ObjectNode issue = Fixtures.object("github/rest/issue.response.documented.json");
        issue.remove("pull_request");
        issue.putArray("labels").addAll(labels.stream()
                .map(label -> Fixtures.JSON.createObjectNode().put("name", label)).toList());
        ((ObjectNode) issue.get("user")).put("login", author);
        issue.put("number", Integer.parseInt(number)).put("body", body).put("state", "open")
                .put("html_url", "https://github.com/" + repository + "/issues/" + number);
        issues.put(repository + "#" + number, issue);
        return number;
    }

    /** An open pull request by {@code author} (GitHub lists it among issues, with a {@code pull_request} key); returns its number. */
    public String openPullRequest(String repository, String author) {
        String number = plantIssue(repository, author, "Adds a login page", java.util.List.of());
        issue(repository, number).set("pull_request", Fixtures.json("github/rest/issue.response.documented.json")
                .get("pull_request"));
        return number;
    }

    /** A comment someone ({@code author}) wrote on an issue or pull request; returns its id. */
    public String plantComment(String repository, String number, String author, String body) {
        ObjectNode comment = comment(repository, number, body);
        ((ObjectNode) comment.get("user")).put("login", author);
        return comment.get("id").asText();
    }

    /** The comments of an issue or pull request as GitHub now has them, oldest first. */
    public java.util.List<ObjectNode> commentsOn(String repository, String number) {
        return comments.on(repository + "#" + number);
    }

    private ObjectNode comment(String repository, String number, String body) {
        return comments.add(repository + "#" + number, id -> {
            ObjectNode comment = Fixtures.object("github/rest/issue-comment.response.documented.json");
            ((ObjectNode) comment.get("user")).put("login", login);
            return comment.put("id", id).put("body", body)
                    .put("url", "https://api.github.com/repos/" + repository + "/issues/comments/" + id)
                    .put("html_url", "https://github.com/" + repository + "/issues/" + number + "#issuecomment-" + id)
                    .put("issue_url", "https://api.github.com/repos/" + repository + "/issues/" + number);
        });
    }

    /** The comment with this id in the repository, or null; GitHub addresses a comment by repository and id alone. */
    private ObjectNode commentIn(String repository, String id) {
        return issues.keySet().stream().filter(key -> key.startsWith(repository + "#"))
                .map(key -> comments.get(id, key)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** The deployments of a repository as GitHub now has them, oldest first. */
    public java.util.List<ObjectNode> deploymentsOf(String repository) {
        return deployments.entrySet().stream().filter(e -> e.getKey().startsWith(repository + "#"))
                .sorted(java.util.Comparator.comparing(e -> e.getValue().get("id").asInt()))
                .map(java.util.Map.Entry::getValue).toList();
    }

    /** The states a deployment's statuses set, in order (with the {@code inactive} GitHub adds itself). */
    public java.util.List<String> deploymentStates(String repository, int id) {
        return java.util.List.copyOf(deploymentStates.getOrDefault(repository + "#" + id, java.util.List.of()));
    }

    /** The issue as GitHub now has it, e.g. {@code issue("octo/app", "1347").get("state")}. */
    public ObjectNode issue(String repository, String number) {
        return issues.get(repository + "#" + number);
    }

    @Override
    protected Answer check(Request r) {
        String auth = r.header("authorization");
        if (auth == null) {
            return Answer.json(401, error("Requires authentication"));
        }
        if (!auth.equals("Bearer " + token) && !auth.equals("token " + token)) {
            return Answer.json(401, error("Bad credentials"));
        }
        if (!"application/vnd.github+json".equals(r.header("accept")) || !"2022-11-28".equals(r.header("x-github-api-version"))) {
            return violation(r, "Accept / X-GitHub-Api-Version not as documented", Answer.json(400, error("Unsupported API version")));
        }
        boolean hasBody = !r.method().equals("GET");
        if (!hasBody && !r.body().isEmpty()) {
            return violation(r, "a GET carries no body", Answer.json(400, error("Problems parsing JSON")));
        }
        if (r.header("user-agent") == null || hasBody && (r.header("content-type") == null
                || !r.header("content-type").startsWith("application/json"))) {
            return violation(r, "User-Agent and Content-Type: application/json are required",
                    Answer.json(403, error("Request forbidden by administrative rules. Please make sure your request has a User-Agent header")));
        }
        String path = r.rawPath();
        String problem;
        if (r.method().equals("GET") && path.equals("/user")) {
            return Answer.json(200, Fixtures.object("github/rest/authenticated-user.response.documented.json")
                    .put("login", login));
        }
        if (r.method().equals("POST") && ISSUES.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("github/rest/create-issue.request.json"), Set.of(), "title");
        } else if (r.method().equals("GET") && ISSUES.matcher(path).matches()) {
            problem = queryProblem(r, LIST_PARAMETERS);
        } else if (r.method().equals("POST") && COMMENTS.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("github/rest/create-issue-comment.request.json"), Set.of(), "body");
        } else if (r.method().equals("GET") && COMMENTS.matcher(path).matches()) {
            problem = queryProblem(r, COMMENT_LIST_PARAMETERS);
        } else if (r.method().equals("PATCH") && COMMENT.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("github/rest/update-issue-comment.request.json"), Set.of(), "body");
            Matcher comment = COMMENT.matcher(path);
            comment.matches();
            if (problem == null && commentIn(comment.group(1), comment.group(2)) == null) {
                return Answer.json(404, error("Not Found"));
            }
        } else if (r.method().equals("PATCH") && ISSUE.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("github/rest/update-issue.request.json"), Set.of("state_reason"));
            if (problem == null && r.json().has("state") && !Set.of("open", "closed").contains(r.json().get("state").asText())) {
                problem = "state must be open or closed";
            }
        } else if (r.method().equals("POST") && STATUSES.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("github/rest/create-commit-status.request.json"), Set.of(), "state");
            if (problem == null && !STATES.contains(r.json().get("state").asText())) {
                problem = "state must be one of " + STATES;
            }
        } else if (r.method().equals("POST") && DEPLOYMENTS.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("github/rest/create-deployment.advanced.request.json"),
                    Set.of("task", "environment", "transient_environment", "production_environment"), "ref");
            if (problem == null) {
                problem = typeProblem(r.json(), "environment", com.fasterxml.jackson.databind.node.JsonNodeType.STRING,
                        "task", com.fasterxml.jackson.databind.node.JsonNodeType.STRING,
                        "transient_environment", com.fasterxml.jackson.databind.node.JsonNodeType.BOOLEAN,
                        "production_environment", com.fasterxml.jackson.databind.node.JsonNodeType.BOOLEAN);
            }
        } else if (r.method().equals("POST") && DEPLOYMENT_STATUSES.matcher(path).matches()) {
            problem = shapeProblem(r.json(), Fixtures.json("github/rest/create-deployment-status.request.json"),
                    Set.of("target_url", "environment_url", "auto_inactive"), "state");
            if (problem == null && !DEPLOYMENT_STATES.contains(r.json().get("state").asText())) {
                problem = "state must be one of " + DEPLOYMENT_STATES;
            }
            Matcher d = DEPLOYMENT_STATUSES.matcher(path);
            d.matches();
            if (problem == null && !deployments.containsKey(d.group(1) + "#" + d.group(2))) {
                return Answer.json(404, error("Not Found"));
            }
        } else {
            return violation(r, "no such endpoint", Answer.json(404, error("Not Found")));
        }
        if (problem != null) {
            return violation(r, problem, Answer.json(422, Fixtures.json("github/rest/error-422-validation-failed.exchange.recorded.json").get("response")));
        }
        Matcher issue = path.contains("/issues/") ? matching(path, COMMENTS, ISSUE) : null;
        if (issue != null && !issues.containsKey(issue.group(1) + "#" + issue.group(2))) {
            return Answer.json(404, error("Not Found"));
        }
        return null;
    }

    @Override
    protected Answer respond(Request r) {
        String path = r.rawPath();
        Matcher m;
        if (r.method().equals("GET") && (m = ISSUES.matcher(path)).matches()) {
            return Answer.json(200, Fixtures.JSON.valueToTree(page(r, listed(m.group(1), r.query()))));
        }
        if ((m = ISSUES.matcher(path)).matches()) {
            String number = Integer.toString(numbers.incrementAndGet());
            ObjectNode issue = Fixtures.object("github/rest/issue.response.documented.json");
            issue.remove("pull_request");
            ((ObjectNode) issue.get("user")).put("login", login);
            issue.putArray("labels").addAll(java.util.stream.StreamSupport.stream(r.json().path("labels").spliterator(), false)
                    .map(label -> Fixtures.JSON.createObjectNode().put("name", label.asText())).toList());
            issue.put("number", Integer.parseInt(number)).put("title", r.json().get("title").asText())
                    .put("body", r.json().path("body").asText(null)).put("state", "open")
                    .put("url", "https://api.github.com/repos/" + m.group(1) + "/issues/" + number)
                    .put("html_url", "https://github.com/" + m.group(1) + "/issues/" + number);
            issues.put(m.group(1) + "#" + number, issue);
            return Answer.json(201, issue, "Location", issue.get("url").asText());
        }
        if (r.method().equals("GET") && (m = COMMENTS.matcher(path)).matches()) {
            return Answer.json(200, Fixtures.JSON.valueToTree(page(r, commentsOn(m.group(1), m.group(2)))));
        }
        if ((m = COMMENTS.matcher(path)).matches()) {
            ObjectNode comment = comment(m.group(1), m.group(2), r.json().get("body").asText());
            return Answer.json(201, comment, "Location", comment.get("url").asText());
        }
        if ((m = COMMENT.matcher(path)).matches()) {
            ObjectNode comment = commentIn(m.group(1), m.group(2));
            comment.put("body", r.json().get("body").asText()).put("updated_at", "2025-03-14T09:31:00Z");
            return Answer.json(200, comment);
        }
        if ((m = ISSUE.matcher(path)).matches()) {
            ObjectNode issue = issues.get(m.group(1) + "#" + m.group(2));
            if ("closed".equals(r.json().path("state").asText())) {
                issue.put("state", "closed").put("state_reason", r.json().path("state_reason").asText("completed"))
                        .put("closed_at", "2025-03-14T09:30:00Z");
            }
            return Answer.json(200, issue);
        }
        if ((m = DEPLOYMENTS.matcher(path)).matches()) {
            int id = deploymentIds.incrementAndGet();
            String api = "https://api.github.com/repos/" + m.group(1) + "/deployments/" + id;
            ObjectNode deployment = Fixtures.object("github/rest/create-deployment.response.documented.json");
            deployment.put("id", id).put("url", api).put("statuses_url", api + "/statuses")
                    .put("sha", r.json().get("ref").asText()).put("ref", r.json().get("ref").asText())
                    .put("environment", r.json().path("environment").asText("production"))
                    .put("original_environment", r.json().path("environment").asText("production"))
                    .put("description", r.json().path("description").asText(null))
                    .put("production_environment", r.json().path("production_environment").asBoolean(false))
                    .set("payload", r.json().path("payload").isTextual()
                            ? parsed(r.json().get("payload").asText()) : r.json().path("payload"));
            deployments.put(m.group(1) + "#" + id, deployment);
            return Answer.json(201, deployment);
        }
        if ((m = DEPLOYMENT_STATUSES.matcher(path)).matches()) {
            String repository = m.group(1);
            String key = repository + "#" + m.group(2);
            String state = r.json().get("state").asText();
            ObjectNode deployment = deployments.get(key);
            if (state.equals("success") && r.json().path("auto_inactive").asBoolean(true)) {
                deploymentsOf(repository).stream().filter(other -> other != deployment)
                        .filter(other -> other.get("environment").equals(deployment.get("environment")))
                        .map(other -> repository + "#" + other.get("id").asInt())
                        .filter(other -> "success".equals(last(deploymentStates.get(other))))
                        .forEach(other -> deploymentStates.get(other).add("inactive"));
            }
            deploymentStates.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(state);
            ObjectNode status = Fixtures.object("github/rest/create-deployment-status.response.documented.json");
            String url = deployment.get("url").asText() + "/statuses/" + deploymentStates.get(key).size();
            status.put("id", deploymentStates.get(key).size()).put("state", state).put("url", url)
                    .put("description", r.json().path("description").asText(""))
                    .put("environment", r.json().path("environment").asText(deployment.get("environment").asText()))
                    .put("environment_url", r.json().path("environment_url").asText(""))
                    .put("log_url", r.json().path("log_url").asText(r.json().path("target_url").asText("")))
                    .put("target_url", r.json().path("log_url").asText(r.json().path("target_url").asText("")))
                    .put("deployment_url", deployment.get("url").asText());
            return Answer.json(201, status, "Location", url);
        }
        m = STATUSES.matcher(path);
        m.matches();
        ObjectNode status = (ObjectNode) Fixtures.json("github/rest/list-commit-statuses.response.documented.json").get(0);
        status.put("state", r.json().get("state").asText()).put("context", r.json().path("context").asText("default"))
                .put("description", r.json().path("description").asText(null))
                .put("target_url", r.json().path("target_url").asText(null))
                .put("url", "https://api.github.com/repos/" + m.group(1) + "/statuses/" + m.group(2));
        return Answer.json(201, status, "Location", status.get("url").asText());
    }

    /** The repository's issues a list request selects (state, creator, labels), newest first as {@code sort=created} gives them. */
    private java.util.List<ObjectNode> listed(String repository, Map<String, String> query) {
        String state = query.getOrDefault("state", "open");
        java.util.List<String> labels = query.containsKey("labels") ? java.util.List.of(query.get("labels").split(","))
                : java.util.List.of();
        return issuesOf(repository).stream()
                .filter(i -> state.equals("all") || state.equals(i.get("state").asText()))
                .filter(i -> !query.containsKey("creator")
                        || query.get("creator").equalsIgnoreCase(i.path("user").path("login").asText()))
                .filter(i -> labels.stream().allMatch(l -> i.path("labels").findValuesAsText("name").contains(l)))
                .sorted(java.util.Comparator.comparing((ObjectNode i) -> i.get("number").asInt()).reversed())
                .toList();
    }

    private static Matcher matching(String path, Pattern... patterns) {
        for (Pattern pattern : patterns) {
            Matcher m = pattern.matcher(path);
            if (m.matches()) {
                return m;
            }
        }
        return null;
    }

    /** GitHub keeps a payload sent as a JSON string as the object it encodes; anything else stays a string. */
    private static com.fasterxml.jackson.databind.JsonNode parsed(String payload) {
        try {
            return Fixtures.JSON.readTree(payload);
        } catch (java.io.IOException e) {
            return Fixtures.JSON.getNodeFactory().textNode(payload);
        }
    }

    private static String last(java.util.List<String> states) {
        return states == null || states.isEmpty() ? null : states.get(states.size() - 1);
    }

    private static ObjectNode error(String message) {
        return Fixtures.JSON.createObjectNode().put("message", message)
                .put("documentation_url", "https://docs.github.com/rest");
    }
}

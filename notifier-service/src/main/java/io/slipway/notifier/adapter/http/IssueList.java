package io.slipway.notifier.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.policy.ApiPaths;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.domain.IssueTracker.FoundIssue;
import io.slipway.notifier.domain.IssueTracker.IssueRef;
import io.slipway.notifier.domain.RequestComments.CommentRef;
import io.slipway.notifier.domain.RequestComments.FoundComment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Pages through a forge's list of open issues with the tracker's labels that the notifier's own account opened,
 * newest first, for the one whose body ends with a wanted {@link IssueMarker}: at most {@value #PAGES} pages of
 * {@value #PER_PAGE}, stopping at the first short page. Labels and markers are no proof of origin (issue templates
 * and pushers can set both), so an issue is adopted only when the forge lists it as created by the account the
 * token belongs to, and its author field names that account too; the account's login is asked once
 * ({@code GET /user}) and kept. Each forge says how it asks for all this ({@link Dialect}); pull requests in GitHub's
 * list are skipped. The comments of a pull or merge request are searched the same way, with the same bounds and the
 * same rule: only a comment the account wrote counts.
 */
public final class IssueList {

    public static final int PER_PAGE = 100;
    public static final int PAGES = 10;
    private static final Logger LOG = LoggerFactory.getLogger(IssueList.class);

    /**
     * How one forge lists open issues newest first ({@code openNewestFirst}: query names and values), restricts the
     * list to issues created by a login ({@code createdBy}: query names and values), names an issue's number, web page,
     * body and author's login (a JSON pointer, the same for a comment), names the login in its {@code GET /user}
     * answer, orders the comments of a request ({@code commentOrder}: query names and values) and names a comment's
     * web page ({@code commentUrl}, null when the forge gives none).
     */
    public record Dialect(List<String> openNewestFirst, Function<String, List<String>> createdBy, String id,
                          String url, String body, String author, String login, List<String> commentOrder,
                          String commentUrl) {
    }

    private final JsonHttp.Api api;
    private final Dialect dialect;
    private final List<String> labels;
    private volatile String self;

    public IssueList(JsonHttp.Api api, Dialect dialect, List<String> labels) {
        this.api = api;
        this.dialect = dialect;
        this.labels = List.copyOf(labels);
    }

    /**
     * Lists {@code issuesPath} page by page.
     *
     * @throws IllegalStateException when the forge answers something other than a list, or names no login for the
     *                               token
     */
    public Optional<FoundIssue> find(String issuesPath, IssueMarker wanted) {
        String login = self();
        List<String> query = new ArrayList<>(dialect.openNewestFirst());
        query.addAll(dialect.createdBy().apply(login));
        query.addAll(Arrays.asList("labels", labels.isEmpty() ? null : String.join(",", labels)));
        return first(issuesPath, query, dialect.body(), login, wanted, "newest open issues", (issue, marker) ->
                new FoundIssue(new IssueRef(issue.path(dialect.id()).asText(), issue.path(dialect.url()).asText(null)),
                        marker));
    }

    /**
     * Lists the comments of a request at {@code commentsPath} page by page for the one the account wrote whose body
     * ends with a marker of the same repository and subject; {@code fallbackUrl} builds the page of a comment when
     * the forge names none.
     */
    public Optional<FoundComment> findComment(String commentsPath, IssueMarker wanted,
                                              Function<String, String> fallbackUrl) {
        String login = self();
        return first(commentsPath, dialect.commentOrder(), "body", login, wanted, "comments", (comment, marker) -> {
            String id = comment.path("id").asText();
            String url = dialect.commentUrl() == null ? null : comment.path(dialect.commentUrl()).asText(null);
            return new FoundComment(new CommentRef(id, url == null ? fallbackUrl.apply(id) : url), marker);
        });
    }

    /**
     * The first listed item the account wrote whose {@code body} field ends with a marker of the wanted repository
     * and subject; {@code what} names the list in the warning given when the bound is reached.
     */
    private <T> Optional<T> first(String path, List<String> baseQuery, String body, String login, IssueMarker wanted,
                                  String what, BiFunction<JsonNode, IssueMarker, T> found) {
        for (int number = 1; number <= PAGES; number++) {
            List<String> query = new ArrayList<>(baseQuery);
            query.addAll(List.of("per_page", Integer.toString(PER_PAGE), "page", Integer.toString(number)));
            JsonNode items = api.call("GET", path + ApiPaths.query(query.toArray(String[]::new)), null);
            if (!items.isArray()) {
                throw new IllegalStateException(api.label() + " answered the list " + path
                        + " with something that is not a list");
            }
            for (JsonNode item : items) {
                if (item.has("pull_request") || item.path("system").asBoolean(false)
                        || !login.equalsIgnoreCase(item.at(dialect.author()).asText())) {
                    continue;
                }
                Optional<IssueMarker> marker = IssueMarker.readFrom(item.path(body).asText(null))
                        .filter(wanted::sameBranch);
                if (marker.isPresent()) {
                    return Optional.of(found.apply(item, marker.get()));
                }
            }
            if (items.size() < PER_PAGE) {
                return Optional.empty();
            }
        }
        LOG.warn("{}: none of the {} {} is the one of {} {}; a new one is written", api.label(), PAGES * PER_PAGE,
                what, wanted.repository(), wanted.branch());
        return Optional.empty();
    }

    /** The login of the token's account, asked once; a failed ask is asked again next time. */
    private String self() {
        String known = self;
        if (known == null) {
            known = api.call("GET", "/user", null).path(dialect.login()).asText("");
            if (known.isBlank()) {
                throw new IllegalStateException(api.label() + " named no login for its token (GET /user)");
            }
            self = known;
        }
        return known;
    }
}

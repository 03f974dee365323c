package io.slipway.notifier.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.policy.ApiPaths;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.domain.IssueTracker.FoundIssue;
import io.slipway.notifier.domain.IssueTracker.IssueRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Pages through a forge's list of open issues with the tracker's labels, newest first, for the one whose body ends
 * with a wanted {@link IssueMarker}: at most {@value #PAGES} pages of {@value #PER_PAGE}, stopping at the first short
 * page. Each forge says how it asks for open issues newest first and how it names an issue's number, web page and
 * body ({@link Dialect}); pull requests in GitHub's list are skipped.
 */
public final class IssueList {

    public static final int PER_PAGE = 100;
    public static final int PAGES = 10;
    private static final Logger LOG = LoggerFactory.getLogger(IssueList.class);

    /**
     * How one forge lists open issues newest first ({@code openNewestFirst}: query names and values) and names an
     * issue's number, web page and body.
     */
    public record Dialect(List<String> openNewestFirst, String id, String url, String body) {
    }

    private IssueList() {
    }

    /**
     * Lists {@code issuesPath} of {@code api} page by page.
     *
     * @throws IllegalStateException when the forge answers something other than a list
     */
    public static Optional<FoundIssue> find(JsonHttp.Api api, String issuesPath, Dialect dialect, List<String> labels,
                                            IssueMarker wanted) {
        for (int number = 1; number <= PAGES; number++) {
            List<String> query = new ArrayList<>(dialect.openNewestFirst());
            query.addAll(Arrays.asList("labels", labels.isEmpty() ? null : String.join(",", labels),
                    "per_page", Integer.toString(PER_PAGE), "page", Integer.toString(number)));
            JsonNode issues = api.call("GET", issuesPath + ApiPaths.query(query.toArray(String[]::new)), null);
            if (!issues.isArray()) {
                throw new IllegalStateException(api.label() + " answered the issue list with something that is not"
                        + " a list");
            }
            for (JsonNode issue : issues) {
                if (issue.has("pull_request")) {
                    continue;
                }
                Optional<IssueMarker> marker = IssueMarker.readFrom(issue.path(dialect.body()).asText(null))
                        .filter(wanted::sameBranch);
                if (marker.isPresent()) {
                    return Optional.of(new FoundIssue(new IssueRef(issue.path(dialect.id()).asText(),
                            issue.path(dialect.url()).asText(null)), marker.get()));
                }
            }
            if (issues.size() < PER_PAGE) {
                return Optional.empty();
            }
        }
        LOG.warn("{}: none of the newest {} open issues is the one of {} {}; a new one is opened", api.label(),
                PAGES * PER_PAGE, wanted.repository(), wanted.branch());
        return Optional.empty();
    }
}

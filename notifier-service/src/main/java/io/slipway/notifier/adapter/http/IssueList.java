package io.slipway.notifier.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.notifier.domain.IssueMarker;
import io.slipway.notifier.domain.IssueTracker.FoundIssue;
import io.slipway.notifier.domain.IssueTracker.IssueRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Pages through a forge's list of open issues, newest first, for the one whose body ends with a wanted
 * {@link IssueMarker}: at most {@value #PAGES} pages of {@value #PER_PAGE}, stopping at the first short page. Field
 * names differ per forge ({@code number}/{@code html_url}/{@code body} on GitHub, {@code iid}/{@code web_url}/
 * {@code description} on GitLab); pull requests in GitHub's list are skipped.
 */
public final class IssueList {

    public static final int PER_PAGE = 100;
    public static final int PAGES = 10;
    private static final Logger LOG = LoggerFactory.getLogger(IssueList.class);

    /** How one forge names an issue's number, web page and body. */
    public record Fields(String id, String url, String body) {
    }

    private IssueList() {
    }

    /**
     * @param page the answer to the list request for a page number (from 1)
     * @throws IllegalStateException when the forge answers something other than a list
     */
    public static Optional<FoundIssue> find(IntFunction<JsonNode> page, Fields fields, IssueMarker wanted,
                                            String label) {
        for (int number = 1; number <= PAGES; number++) {
            JsonNode issues = page.apply(number);
            if (!issues.isArray()) {
                throw new IllegalStateException(label + " answered the issue list with something that is not a list");
            }
            for (JsonNode issue : issues) {
                if (issue.has("pull_request")) {
                    continue;
                }
                Optional<IssueMarker> marker = IssueMarker.readFrom(issue.path(fields.body()).asText(null))
                        .filter(wanted::sameBranch);
                if (marker.isPresent()) {
                    return Optional.of(new FoundIssue(new IssueRef(issue.path(fields.id()).asText(),
                            issue.path(fields.url()).asText(null)), marker.get()));
                }
            }
            if (issues.size() < PER_PAGE) {
                return Optional.empty();
            }
        }
        LOG.warn("{}: none of the newest {} open issues is the one of {} {}; a new one is opened", label,
                PAGES * PER_PAGE, wanted.repository(), wanted.branch());
        return Optional.empty();
    }
}

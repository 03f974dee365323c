package io.slipway.notifier.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hidden line that ends the body of every issue Slipway opens, naming the repository and branch it reports and
 * the event that opened it: {@code <!-- slipway:issue repository=R branch=B event=E -->}. It is how the notifier
 * finds its open issue on the forge when its own memory does not know it. Only the body's last line counts, so a
 * marker quoted in a commit message or log excerpt higher up never makes an issue someone else's.
 */
public record IssueMarker(String repository, String branch, String eventId) {

    /** Repository and branch names hold no white space; the event id is left out unless it is this plain. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Pattern LINE = Pattern.compile(
            "<!-- slipway:issue repository=(\\S+) branch=(\\S+)(?: event=(\\S+))? -->");

    public IssueMarker {
        eventId = eventId != null && PLAIN.matcher(eventId).matches() ? eventId : null;
    }

    /**
     * The marker of the issue a notification opens (or reports to), or of the comment it keeps on its request, which
     * names the request ({@code request:#12}) in place of a branch.
     */
    public static IssueMarker of(Notification n) {
        return new IssueMarker(n.repository(), n.subject(), n.eventId());
    }

    /** The marker that ends {@code body}, if its last non-blank line is one (markers without an event included). */
    public static Optional<IssueMarker> readFrom(String body) {
        if (body == null) {
            return Optional.empty();
        }
        String stripped = body.strip();
        String last = stripped.substring(stripped.lastIndexOf('\n') + 1).strip();
        Matcher m = LINE.matcher(last);
        return m.matches() ? Optional.of(new IssueMarker(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** Whether both markers name the same repository and branch (whichever event opened the issue). */
    public boolean sameBranch(IssueMarker other) {
        return repository.equals(other.repository) && branch.equals(other.branch);
    }

    /** Whether the issue was opened for the event of {@code n}. */
    public boolean openedFor(Notification n) {
        return eventId != null && eventId.equals(n.eventId());
    }

    /** The marker line, as the last line of an issue body. */
    public String line() {
        return "<!-- slipway:issue repository=" + repository + " branch=" + branch
                + (eventId == null ? "" : " event=" + eventId) + " -->";
    }
}

package io.slipway.notifier.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one channel remembers about one branch (or tag) of one repository: the ids of the events it notified most
 * recently (a bounded window, oldest first, for deduplication across redeliveries and restarts), the issue it keeps
 * open for the branch (for a channel of request comments: the comment it keeps on the request), and the run attempts whose commit status is final (so a late "started" never turns a result
 * back into pending). Its size is bounded by the window, whatever the number of branches.
 */
public record ChannelMemory(List<String> notified, OpenIssue openIssue, List<String> finishedRuns) {

    /** An open issue (or a request's comment) and when the latest run it reports was triggered. */
    public record OpenIssue(String id, String url, Instant lastFailureAt) {
    }

    public ChannelMemory {
        notified = List.copyOf(notified);
        finishedRuns = List.copyOf(finishedRuns);
    }

    public static ChannelMemory empty() {
        return new ChannelMemory(List.of(), null, List.of());
    }

    public boolean hasNotified(String eventId) {
        return notified.contains(eventId);
    }

    /** Remembers an event id, forgetting the oldest beyond {@code window}. */
    public ChannelMemory withNotified(String eventId, int window) {
        return new ChannelMemory(appended(notified, eventId, window), openIssue, finishedRuns);
    }

    public boolean hasFinished(String runAttempt) {
        return finishedRuns.contains(runAttempt);
    }

    /** Remembers that a run attempt has its final status, forgetting the oldest beyond {@code window}. */
    public ChannelMemory withFinished(String runAttempt, int window) {
        return new ChannelMemory(notified, openIssue, appended(finishedRuns, runAttempt, window));
    }

    private static List<String> appended(List<String> values, String value, int window) {
        List<String> all = new ArrayList<>(values);
        all.remove(value);
        all.add(value);
        return all.subList(Math.max(0, all.size() - window), all.size());
    }

    public Optional<OpenIssue> issue() {
        return Optional.ofNullable(openIssue);
    }

    public ChannelMemory withIssue(OpenIssue issue) {
        return new ChannelMemory(notified, issue, finishedRuns);
    }

    public ChannelMemory withoutIssue() {
        return new ChannelMemory(notified, null, finishedRuns);
    }
}

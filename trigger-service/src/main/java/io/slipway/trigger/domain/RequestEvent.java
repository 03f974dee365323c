package io.slipway.trigger.domain;

import java.time.Instant;
import java.util.List;

/**
 * One pull request (GitHub, Gitea/Forgejo) or merge request (GitLab) event as a forge reported it, reduced to what a
 * run of the request needs. {@code repository}, {@code cloneUrl} and {@code webUrl} are the target repository's;
 * {@code sourceRepository} is where the change comes from, {@code fromFork} whether that is another repository.
 * {@code message} is the best commit text the payload offers (the head commit's message, else the request's title);
 * {@code labels} are the request's labels after the event.
 */
public record RequestEvent(String source, String deliveryId, Action action, String repository, String cloneUrl,
                           String webUrl, int number, Kind kind, String sourceBranch, String targetBranch,
                           String sourceRepository, boolean fromFork, String headSha, String author, String message,
                           String requestUrl, List<String> labels, Instant timestamp) {

    /** What happened to the request. */
    public enum Action {
        /** Opened (or marked ready): its head is to be tested. */
        OPENED,
        /** New commits on its source branch (GitHub {@code synchronize}, GitLab {@code update} with a new head). */
        UPDATED,
        REOPENED,
        /** Closed or merged: what is left of its work is cancelled. */
        CLOSED,
        /** Its labels changed (an operator's approval label may have been added). */
        LABELED,
        /** Anything else (edited, assigned, reviewed, …): starts nothing. */
        OTHER
    }

    /** GitHub and Gitea call it a pull request ({@code #12}), GitLab a merge request ({@code !12}). */
    public enum Kind {
        PULL("pull", "#"), MERGE("merge", "!");

        private final String contractName;
        private final String sigil;

        Kind(String contractName, String sigil) {
            this.contractName = contractName;
            this.sigil = sigil;
        }

        /** The value of {@code ChangeRequest.kind}. */
        public String contractName() {
            return contractName;
        }

        public String sigil() {
            return sigil;
        }

        /** Where the forge keeps the head of request {@code number}: {@code refs/pull/N/head} or {@code refs/merge-requests/N/head}. */
        public String headRef(int number) {
            return refPrefix(number) + "/head";
        }

        /** Where the forge keeps its merge of request {@code number}: {@code refs/pull/N/merge} or {@code refs/merge-requests/N/merge}. */
        public String mergeRef(int number) {
            return refPrefix(number) + "/merge";
        }

        private String refPrefix(int number) {
            return (this == PULL ? "refs/pull/" : "refs/merge-requests/") + number;
        }
    }

    public RequestEvent {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** The ref the forge keeps the request's head under: {@code refs/pull/N/head} or {@code refs/merge-requests/N/head}. */
    public String headRef() {
        return kind.headRef(number);
    }

    /** The ref of the forge's merge of head into target: {@code refs/pull/N/merge} or {@code refs/merge-requests/N/merge}. */
    public String mergeRef() {
        return kind.mergeRef(number);
    }

    /** {@code #12} or {@code !12}. */
    public String displayName() {
        return kind.sigil() + number;
    }

    /** The request as a run carries it; {@code mergeResult} when the forge's merge ref is built rather than the head. */
    public Push.Request toRequest(boolean mergeResult) {
        return new Push.Request(number, kind, sourceBranch, targetBranch, sourceRepository, fromFork, headSha, author,
                mergeResult, requestUrl);
    }
}

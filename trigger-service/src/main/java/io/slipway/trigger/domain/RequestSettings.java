package io.slipway.trigger.domain;

import java.util.Locale;

/**
 * How a watched repository's pull and merge requests run: whether the head or the forge's merge result is built,
 * whether requests from forks run at all, and whether a fork's request waits for an operator's approval (the
 * {@code approvalLabel} on the request, or {@code POST /approvals}) before it runs.
 */
public record RequestSettings(Build build, boolean forks, boolean forkApproval, String approvalLabel) {

    /** The label that approves a fork's request unless the operators name another. */
    public static final String DEFAULT_APPROVAL_LABEL = "slipway/approved";

    /** Head builds, forks allowed but each fork's request approved first, as GitHub does for outside contributors. */
    public static final RequestSettings DEFAULTS = new RequestSettings(Build.HEAD, true, true, DEFAULT_APPROVAL_LABEL);

    /** What a request's run builds. */
    public enum Build {
        /** The request's head commit ({@code refs/pull/N/head}, {@code refs/merge-requests/N/head}). */
        HEAD,
        /** The forge's merge of head into target ({@code refs/pull/N/merge}, {@code refs/merge-requests/N/merge}). */
        MERGE;

        /** {@code head} or {@code merge}, as configured. */
        public static Build of(String setting) {
            if (setting == null || setting.isBlank()) {
                return HEAD;
            }
            return switch (setting.trim().toLowerCase(Locale.ROOT)) {
                case "head" -> HEAD;
                case "merge" -> MERGE;
                default -> throw new IllegalArgumentException("requests-build must be 'head' or 'merge', not '"
                        + setting + "'");
            };
        }
    }

    public RequestSettings {
        if (build == null) {
            throw new IllegalArgumentException("a request build setting is needed");
        }
        if (approvalLabel == null || approvalLabel.isBlank()) {
            throw new IllegalArgumentException("the approval label must not be empty");
        }
    }

    /** {@code required} or {@code none}, as configured; empty means required. */
    public static boolean forkApproval(String setting) {
        if (setting == null || setting.isBlank()) {
            return true;
        }
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "required" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException("fork-approval must be 'required' or 'none', not '"
                    + setting + "'");
        };
    }
}

package io.slipway.dashboard.domain;

/** The runs page's filters; a null field does not filter. {@code stage} is an {@code io.slipway.events.Stage} name. */
public record RunFilter(String repository, String branch, RunStatus status, String stage) {

    /** No filter: every run. */
    public static RunFilter none() {
        return new RunFilter(null, null, null, null);
    }
}

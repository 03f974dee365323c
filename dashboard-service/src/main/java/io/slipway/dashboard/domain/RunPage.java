package io.slipway.dashboard.domain;

import java.util.List;

/** A page of runs, newest first, and the opaque cursor of the next (older) page, null when there is none. */
public record RunPage(List<RunSummary> runs, String nextCursor) {
}

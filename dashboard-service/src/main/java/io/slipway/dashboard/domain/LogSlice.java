package io.slipway.dashboard.domain;

/**
 * Build log text of a run attempt from chunk {@code from} on (chunks in stage, then sequence order), and the position
 * to ask from next. {@code complete}: the log will not grow (its last chunk came, the limit ended it, or the run
 * failed or was cancelled); {@code truncated}: chunks were dropped at the limit.
 */
public record LogSlice(String text, int next, boolean complete, boolean truncated) {
}

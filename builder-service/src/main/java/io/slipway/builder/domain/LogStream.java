package io.slipway.builder.domain;

import java.util.concurrent.CompletableFuture;

/**
 * Port: where the chunks of a build's masked log go as the build runs ({@code slipway.logs}, for the dashboard). An
 * implementation hands a chunk over without waiting for the broker and never throws: a chunk it cannot deliver is
 * logged and counted, and the build goes on.
 */
public interface LogStream {

    /** Streams nothing (a builder without a log stream, and the unit tests that do not look at it). */
    LogStream NONE = chunk -> CompletableFuture.completedFuture(null);

    /**
     * Consecutive lines of one attempt's build log: {@code sequence} counts 0, 1, 2 … per attempt; {@code text} holds
     * complete masked lines joined by newlines; {@code last} ends the attempt's log, {@code truncated} says it reached
     * its bound and later lines were dropped.
     */
    record Chunk(String runId, int attempt, String repository, long sequence, String text, boolean last,
                 boolean truncated) {
    }

    /**
     * Hands {@code chunk} over for sending.
     *
     * @return completes (never exceptionally) when the chunk was sent or given up
     */
    CompletableFuture<Void> send(Chunk chunk);
}

package io.slipway.common.liveness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pulse of one worker a service cannot do without (a Kafka listener's consumer thread, a tail, a ledger): it is
 * alive while it polls at least once per {@code interval} and has not ended. A worker {@linkplain #beat beats} on
 * each poll and says when it {@linkplain #ended ended}; a worker that stops on purpose (the service shuts down)
 * {@linkplain #close closes} its heartbeat first, so only an end nobody asked for counts against it.
 */
public final class Heartbeat implements AutoCloseable {

    private final String name;
    private final Duration interval;
    private final Clock clock;
    private final Instant registered;
    private final Supplier<Optional<Instant>> lastPoll;
    private final Runnable onClose;
    private volatile Instant lastBeat;
    private volatile Instant endedAt;
    private volatile Throwable cause;
    private volatile Throwable lastError;

    Heartbeat(String name, Duration interval, Clock clock, Supplier<Optional<Instant>> lastPoll, Runnable onClose) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the poll interval of " + name + " must be positive, got " + interval);
        }
        this.name = name;
        this.interval = interval;
        this.clock = clock;
        this.registered = clock.instant();
        this.lastPoll = lastPoll;
        this.onClose = onClose;
    }

    /** The worker's name as {@code /health} shows it. */
    public String name() {
        return name;
    }

    /** The worker polled just now. */
    public void beat() {
        lastBeat = clock.instant();
    }

    /** A fault the worker survived; shown as its last error. */
    public void error(Throwable fault) {
        lastError = fault;
    }

    /**
     * The worker's thread ended: with {@code cause} when an error ended it, with null when it returned. Only the first
     * end counts.
     */
    public void ended(Throwable cause) {
        if (endedAt != null) {
            return;
        }
        this.cause = cause;
        if (cause != null) {
            lastError = cause;
        }
        endedAt = clock.instant();
    }

    /**
     * {@code body} as the worker's thread runs it: its end, whatever ends it ({@link Error}s included), is reported
     * to this heartbeat, and what was thrown is thrown on.
     */
    public Runnable guard(Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                ended(t);
                throw t;
            }
            ended(null);
        };
    }

    /** The worker stops on purpose (the service shuts down): it is no longer watched. */
    @Override
    public void close() {
        onClose.run();
    }

    /** What the worker looks like at {@code now}. */
    Vital read(Instant now) {
        Instant ended = endedAt;
        String error = lastError == null ? null : describe(lastError);
        if (ended != null) {
            return new Vital(name, false, cause == null ? "stopped without being asked to" : "thread died: " + describe(cause),
                    ended, error);
        }
        Instant polled = lastPolled();
        Instant reference = polled != null ? polled : registered;
        Duration quiet = Duration.between(reference, now);
        if (quiet.compareTo(interval) > 0) {
            String state = (polled == null ? "has not polled since it started " : "has not polled for ")
                    + seconds(quiet) + " (expected at least once every " + seconds(interval) + ")";
            return new Vital(name, false, state, reference, error);
        }
        return new Vital(name, true, polled == null ? "starting" : "polling", polled != null ? polled : registered,
                error);
    }

    private Instant lastPolled() {
        Instant beat = lastBeat;
        Instant polled = lastPoll.get().orElse(null);
        if (beat == null || polled != null && polled.isAfter(beat)) {
            return polled;
        }
        return beat;
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    }
}

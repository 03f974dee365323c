package io.slipway.common.liveness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The workers of one service whose death or silence makes the service useless, each with its {@link Heartbeat}: the
 * service is alive only while every one of them is. This is the one place the rule lives; {@code /health} reports
 * what {@link #vitals} says, and a worker registers here rather than keeping a flag of its own.
 */
public final class Heartbeats {

    private final Clock clock;
    private final List<Heartbeat> hearts = new CopyOnWriteArrayList<>();

    public Heartbeats(Clock clock) {
        this.clock = clock;
    }

    /** A worker that {@linkplain Heartbeat#beat beats} on each poll and must do so at least once per {@code interval}. */
    public Heartbeat register(String name, Duration interval) {
        return register(name, interval, Optional::empty);
    }

    /**
     * A worker whose polls are counted elsewhere (a Kafka consumer's own metric): {@code lastPoll} tells when it last
     * polled, empty before its first poll.
     */
    public Heartbeat register(String name, Duration interval, Supplier<Optional<Instant>> lastPoll) {
        Heartbeat[] registered = new Heartbeat[1];
        registered[0] = new Heartbeat(name, interval, clock, lastPoll, () -> hearts.remove(registered[0]));
        hearts.add(registered[0]);
        return registered[0];
    }

    /** Every worker's state now, by name; the dead and silent ones are the reasons the service is down. */
    public List<Vital> vitals() {
        Instant now = clock.instant();
        List<Vital> vitals = new ArrayList<>();
        hearts.forEach(heart -> vitals.add(heart.read(now)));
        vitals.sort(Comparator.comparing(Vital::name));
        return vitals;
    }

    /** Whether every worker is alive (also when there is none). */
    public boolean alive() {
        return vitals().stream().allMatch(Vital::alive);
    }
}

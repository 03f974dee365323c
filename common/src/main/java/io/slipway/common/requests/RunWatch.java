package io.slipway.common.requests;

import io.slipway.common.requests.RequestStates.Staleness;
import io.slipway.events.RunContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@link StalenessWatch} of one run of a request over {@link RequestStates}: the reader calls its listeners on its
 * own thread, which must keep following the topic, so the stage's action (stopping a build, removing containers) gets
 * a thread of its own.
 */
final class RunWatch implements StalenessWatch {

    private static final Logger LOG = LoggerFactory.getLogger(RunWatch.class);

    private final RequestStates states;
    private final RunContext run;

    RunWatch(RequestStates states, RunContext run) {
        this.states = states;
        this.run = run;
    }

    @Override
    public Optional<Staleness> now() {
        return states.staleness(run);
    }

    @Override
    public Subscription whenStale(Consumer<Staleness> action) {
        AtomicBoolean fired = new AtomicBoolean();
        AutoCloseable listening = states.onChange(state -> Staleness.of(run, state).ifPresent(staleness -> {
            if (fired.compareAndSet(false, true)) {
                Thread thread = new Thread(() -> action.accept(staleness), "stale-" + run.getRunId());
                thread.setDaemon(true);
                thread.start();
            }
        }));
        return () -> {
            try {
                listening.close();
            } catch (Exception e) {
                LOG.warn("Could not stop watching run {}: {}", run.getRunId(), e.toString());
            }
        };
    }
}

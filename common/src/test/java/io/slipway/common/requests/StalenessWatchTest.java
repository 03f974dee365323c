package io.slipway.common.requests;

import io.slipway.common.requests.RequestStates.Staleness;
import io.slipway.common.testing.RequestRuns;
import io.slipway.events.RequestState;
import io.slipway.events.RunContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StalenessWatchTest {

    /** Request states in memory; {@link #read} plays the reader taking a new record. */
    private static final class InMemoryStates implements RequestStates {
        final Map<String, RequestState> states = new ConcurrentHashMap<>();
        final List<Consumer<RequestState>> listeners = new CopyOnWriteArrayList<>();

        void read(RequestState state) {
            states.put(RequestStates.key(state.getRepository(), state.getNumber()), state);
            listeners.forEach(listener -> listener.accept(state));
        }

        @Override
        public Optional<RequestState> get(String repository, int number) {
            return Optional.ofNullable(states.get(RequestStates.key(repository, number)));
        }

        @Override
        public AutoCloseable onChange(Consumer<RequestState> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    private final InMemoryStates states = new InMemoryStates();
    private final RunContext run = RequestRuns.run("team/app", "https://git.example.org/team/app.git", 12, "aaa", 10);

    @Test
    void aPushsRunIsNeverStale() {
        RunContext push = RunContext.newBuilder(run).setRequest(null).build();
        states.read(RequestRuns.state("team/app", 12, false, "aaa", 11));

        assertThat(states.watch(push)).isSameAs(StalenessWatch.NEVER);
        assertThat(states.watch(push).now()).isEmpty();
    }

    @Test
    void saysNowWhetherTheRunIsStale() {
        StalenessWatch watch = states.watch(run);
        assertThat(watch.now()).isEmpty();

        states.read(RequestRuns.state("team/app", 12, true, "bbb", 11));

        assertThat(watch.now()).hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo(Staleness.Reason.SUPERSEDED));
    }

    @Test
    void actsOnceOnAThreadOfItsOwnWhenAStateMakesTheRunStale() {
        List<String> calls = new CopyOnWriteArrayList<>();
        StalenessWatch.Subscription subscription = states.watch(run).whenStale(staleness ->
                calls.add(staleness.reason() + " on " + Thread.currentThread().getName()));

        states.read(RequestRuns.state("team/app", 13, false, "ccc", 11));
        states.read(RequestRuns.state("team/app", 12, true, "aaa", 11));
        assertThat(calls).as("another request, and the run's own head").isEmpty();
        states.read(RequestRuns.state("team/app", 12, false, "aaa", 12));
        states.read(RequestRuns.state("team/app", 12, true, "ddd", 13));

        await().until(() -> !calls.isEmpty());
        assertThat(calls).singleElement().asString().startsWith("CLOSED on ")
                .doesNotEndWith(Thread.currentThread().getName());
        subscription.close();
        assertThat(states.listeners).isEmpty();
    }

    @Test
    void aClosedSubscriptionDoesNotAct() {
        List<Staleness> calls = new CopyOnWriteArrayList<>();
        states.watch(run).whenStale(calls::add).close();

        states.read(RequestRuns.state("team/app", 12, false, "aaa", 11));

        assertThat(states.listeners).isEmpty();
        assertThat(calls).isEmpty();
    }
}

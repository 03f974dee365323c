package io.slipway.common.requests;

import io.slipway.events.ChangeRequest;
import io.slipway.events.RequestState;
import io.slipway.events.RunContext;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * What trigger-service last decided about each pull or merge request ({@code slipway.requests}), as builder and tester
 * read it to drop or cancel the work of a run whose request was closed, or got another head, after the run was
 * accepted ("latest wins per request").
 */
public interface RequestStates {

    /** The topic key of a request: {@code <repository>#<number>}. */
    static String key(String repository, int number) {
        return repository + "#" + number;
    }

    /** The newest state of a request, if the trigger wrote one. */
    Optional<RequestState> get(String repository, int number);

    /**
     * Calls {@code listener} with every state read from now on (on the reader's thread: keep it short); closing the
     * returned handle stops that.
     */
    AutoCloseable onChange(Consumer<RequestState> listener);

    /** Why the work of {@code run} should stop, or empty while it is the request's newest head (or no request's). */
    default Optional<Staleness> staleness(RunContext run) {
        ChangeRequest request = run.getRequest();
        if (request == null) {
            return Optional.empty();
        }
        return get(run.getRepository().getFullName(), request.getNumber())
                .flatMap(state -> Staleness.of(run, state));
    }

    /** Why a request's run is stale: the request was closed, or a newer head was accepted, after the run. */
    record Staleness(Reason reason, String message) {

        /** What made the run stale. */
        public enum Reason { CLOSED, SUPERSEDED }

        /** The staleness {@code state} gives {@code run} (of the same request), if any. */
        public static Optional<Staleness> of(RunContext run, RequestState state) {
            ChangeRequest request = run.getRequest();
            if (request == null || state.getNumber() != request.getNumber()
                    || !state.getRepository().equals(run.getRepository().getFullName())
                    || state.getSequence() <= run.getAcceptedSequence()) {
                return Optional.empty();
            }
            String name = ChangeRequests.name(request);
            if (!state.getOpen()) {
                return Optional.of(new Staleness(Reason.CLOSED, "Request " + name + " was closed"));
            }
            if (!state.getHeadSha().equals(request.getHeadSha())) {
                return Optional.of(new Staleness(Reason.SUPERSEDED, "Superseded: request " + name + " got head "
                        + state.getHeadSha().substring(0, Math.min(12, state.getHeadSha().length()))));
            }
            return Optional.empty();
        }
    }
}

package io.slipway.trigger.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link RequestBook} in memory that remembers every state written, in order. */
final class MemoryRequestBook implements RequestBook {

    private final Map<String, RequestStatus> states = new LinkedHashMap<>();
    final List<RequestStatus> writes = new ArrayList<>();

    @Override
    public Optional<RequestStatus> get(String repository, int number) {
        return Optional.ofNullable(states.get(repository + "#" + number));
    }

    @Override
    public void put(RequestStatus status) {
        states.put(status.repository() + "#" + status.number(), status);
        writes.add(status);
    }
}

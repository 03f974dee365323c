package io.slipway.deployer.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link EnvironmentStates} in memory, for domain tests. */
final class InMemoryStates implements EnvironmentStates {

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    @Override
    public Optional<Slot> get(String environment, String repository) {
        return Optional.ofNullable(slots.get(environment + "|" + repository));
    }

    @Override
    public void put(Slot slot) {
        slots.put(slot.environment() + "|" + slot.repository(), slot);
    }

    @Override
    public List<Slot> all() {
        return List.copyOf(slots.values());
    }

    @Override
    public void refresh() {
        // Nothing is written anywhere else.
    }

    Slot slot(String environment, String repository) {
        return get(environment, repository).orElseThrow();
    }
}

package io.slipway.deployer.domain;

import java.util.List;
import java.util.Optional;

/** Where the deployer keeps what runs where ({@link Slot}s); a write returns once it is durable. */
public interface EnvironmentStates {

    Optional<Slot> get(String environment, String repository);

    void put(Slot slot);

    /** Every slot known, in no particular order. */
    List<Slot> all();

    /**
     * Reads on what was written since (by this or another instance), before an operator's call or a promotion tick
     * acts on the state.
     */
    void refresh();
}

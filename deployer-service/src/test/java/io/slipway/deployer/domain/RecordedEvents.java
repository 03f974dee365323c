package io.slipway.deployer.domain;

import java.util.ArrayList;
import java.util.List;

/** {@link DeploymentEvents} kept in order, for domain tests. */
final class RecordedEvents implements DeploymentEvents {

    final List<Change> changes = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();

    @Override
    public synchronized void changed(Change change) {
        changes.add(change);
    }

    @Override
    public synchronized void failed(Failure failure) {
        failures.add(failure);
    }
}

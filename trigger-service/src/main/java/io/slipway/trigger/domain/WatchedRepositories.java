package io.slipway.trigger.domain;

import java.util.List;
import java.util.Optional;

/** The configured repositories, first match wins; a repository matching none is unknown and starts nothing. */
public record WatchedRepositories(List<WatchedRepository> rules) {

    public Optional<WatchedRepository> find(String fullName) {
        return rules.stream().filter(r -> r.pattern().matches(fullName)).findFirst();
    }
}

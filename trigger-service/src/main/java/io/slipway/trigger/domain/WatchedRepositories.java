package io.slipway.trigger.domain;

import java.util.List;
import java.util.Optional;

/** The configured repositories, first match wins; a repository matching none is unknown and starts nothing. */
public record WatchedRepositories(List<WatchedRepository> rules) {

    public Optional<WatchedRepository> find(String fullName) {
        // A plain loop: every webhook asks, and a stream pipeline per request is measurable next to the match itself.
        for (WatchedRepository rule : rules) {
            if (rule.pattern().matches(fullName)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}

package io.slipway.trigger.domain;

import io.slipway.common.glob.Glob;

import java.util.List;
import java.util.Optional;

/**
 * Include/exclude globs for branch or tag names: a name passes when it matches an include glob and no exclude
 * glob. Exclusions win, as in GitLab CI's {@code except} and Jenkins' branch sources.
 */
public record RefFilter(List<Glob> include, List<Glob> exclude) {

    public static RefFilter of(List<String> include, List<String> exclude) {
        return new RefFilter(include.stream().map(Glob::of).toList(), exclude.stream().map(Glob::of).toList());
    }

    public static RefFilter everything() {
        return of(List.of("**"), List.of());
    }

    /** Why the name does not pass, or empty when it does. */
    public Optional<String> refusal(String kind, String name) {
        Optional<Glob> excludedBy = exclude.stream().filter(g -> g.matches(name)).findFirst();
        if (excludedBy.isPresent()) {
            return Optional.of(kind + " '" + name + "' is excluded by '" + excludedBy.get() + "'");
        }
        if (include.stream().noneMatch(g -> g.matches(name))) {
            return Optional.of(kind + " '" + name + "' matches none of " + include);
        }
        return Optional.empty();
    }
}

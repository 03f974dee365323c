package io.slipway.trigger.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * One entry of {@code slipway.trigger.repositories}: a glob over repository full names, the webhook secret (or
 * GitLab token) of those repositories, and the branch and tag globs that start runs (default: all).
 * An entry with an empty pattern or secret is skipped, so environment-driven defaults can stay unset.
 */
@EachProperty(value = "slipway.trigger.repositories", list = true)
public record RepositoryProperties(@Parameter Integer index,
                                   @Nullable String pattern,
                                   @Nullable String secret,
                                   @Nullable List<String> branches,
                                   @Nullable List<String> excludeBranches,
                                   @Nullable List<String> tags,
                                   @Nullable List<String> excludeTags) {

    public boolean isComplete() {
        return pattern != null && !pattern.isBlank() && secret != null && !secret.isBlank();
    }
}

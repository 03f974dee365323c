package io.slipway.deliverer.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * One entry of {@code slipway.deliverer.repositories}: for the repositories whose full name matches the glob
 * {@code pattern}, another release registry, an exact release repository or another prefix, and mirrors
 * ({@code host[:port][/prefix]}). Unset fields keep the defaults; the first matching entry wins.
 */
@EachProperty(value = "slipway.deliverer.repositories", list = true)
public record RepositoryProperties(@Parameter Integer index,
                                   @Nullable String pattern,
                                   @Nullable String registry,
                                   @Nullable String repository,
                                   @Nullable String prefix,
                                   @Nullable List<String> mirrors) {

    public boolean isComplete() {
        return pattern != null && !pattern.isBlank();
    }
}

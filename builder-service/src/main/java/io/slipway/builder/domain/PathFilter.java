package io.slipway.builder.domain;

import io.slipway.common.glob.Glob;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code paths:} in {@code .slipway.yml}: a changed path is wanted when an {@code include} glob matches it (or there
 * are none) and no {@code exclude} glob does. A run with no wanted changed path is not built ({@link Reason#IGNORED}).
 * Globs are common's {@link Glob} over repository-relative paths.
 */
public record PathFilter(List<Glob> include, List<Glob> exclude) {

    /** No filter: every change is built. */
    public static final PathFilter NONE = new PathFilter(List.of(), List.of());

    public PathFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean isNone() {
        return include.isEmpty() && exclude.isEmpty();
    }

    /** Whether a change of {@code path} asks for a build. */
    public boolean wants(String path) {
        return (include.isEmpty() || Glob.any(include, path)) && !Glob.any(exclude, path);
    }

    /** The filter as a message shows it, e.g. {@code include [src/**], exclude [**}{@code /*.md]}. */
    public String describe() {
        String included = include.isEmpty() ? "" : "include " + shown(include);
        String excluded = exclude.isEmpty() ? "" : "exclude " + shown(exclude);
        return included.isEmpty() || excluded.isEmpty() ? included + excluded : included + ", " + excluded;
    }

    private static String shown(List<Glob> globs) {
        return globs.stream().map(Glob::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}

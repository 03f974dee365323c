package io.slipway.notifier.domain;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/**
 * A glob over slash-separated names (repository full names, branches) with java.nio's glob syntax: {@code *} within
 * one segment, {@code **} across segments, {@code ?} one character, {@code {a,b}} alternatives, {@code [a-z]} classes.
 */
public final class NameGlob {

    private final String source;
    private final PathMatcher matcher;

    private NameGlob(String source) {
        this.source = source;
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + source);
    }

    public static NameGlob of(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("a glob must not be blank");
        }
        return new NameGlob(glob.strip());
    }

    public boolean matches(String name) {
        try {
            return name != null && !name.isEmpty() && matcher.matches(Path.of(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Whether any of the globs matches the name. */
    public static boolean any(Iterable<NameGlob> globs, String name) {
        for (NameGlob glob : globs) {
            if (glob.matches(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return source;
    }
}

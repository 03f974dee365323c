package io.slipway.builder.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The build args a build gets: the service's own (proxies, mirrors the operator configured) and the repository's
 * from {@code .slipway.yml}. The service's win: a repository that sets one of them is {@code CONFIG_INVALID} naming
 * it, compared ignoring case because Docker's predefined proxy args exist in both cases and tools read either.
 * A fork's request gets none of the service's values (they may hold secrets, e.g. a proxy password), but the same
 * names stay reserved, so a {@code .slipway.yml} is valid or invalid whoever's request runs it.
 */
final class BuildArgs {

    private BuildArgs() {
    }

    /** The args to pass, service args first; throws {@code CONFIG_INVALID} when the repository sets a service arg. */
    static Map<String, String> merge(Map<String, String> service, PipelineFile file) {
        return merge(service, file, false);
    }

    /** As {@link #merge(Map, PipelineFile)}; with {@code untrusted} (a fork's request) the service's values are left out. */
    static Map<String, String> merge(Map<String, String> service, PipelineFile file, boolean untrusted) {
        Set<String> reserved = service.keySet().stream().map(BuildArgs::folded).collect(Collectors.toSet());
        List<String> clashing = file.buildArgs().keySet().stream().filter(name -> reserved.contains(folded(name)))
                .toList();
        if (!clashing.isEmpty()) {
            throw PipelineFileParser.invalid(file.line("buildArgs"), "build arg" + (clashing.size() == 1 ? " " : "s ")
                    + String.join(", ", clashing) + (clashing.size() == 1 ? " is" : " are")
                    + " set by this builder and cannot be overridden by the repository; remove "
                    + (clashing.size() == 1 ? "it" : "them") + " from buildArgs");
        }
        Map<String, String> args = new LinkedHashMap<>(untrusted ? Map.of() : service);
        args.putAll(file.buildArgs());
        return args;
    }

    private static String folded(String name) {
        return name.toUpperCase(Locale.ROOT);
    }
}

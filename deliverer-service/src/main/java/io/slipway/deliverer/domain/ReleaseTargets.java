package io.slipway.deliverer.domain;

import io.slipway.common.glob.Glob;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a repository's tested images are released: the image name is the staging repository without the staging
 * prefix; the release repository is a prefix plus that name on the release registry, unless the first rule whose
 * {@link Glob} matches the repository's full name says otherwise. Mirrors ({@code host[:port][/prefix]}) receive the
 * same digest and tags after the primary target.
 */
public final class ReleaseTargets {

    /** An override for the repositories whose full name matches {@code pattern}; null fields keep the default. */
    public record Rule(String pattern, String registry, String repository, String prefix, List<String> mirrors) {
    }

    private record CompiledRule(Glob pattern, Rule rule) {
    }

    private final String stagingPrefix;
    private final Rule defaults;
    private final List<CompiledRule> rules;

    /** {@code defaults} gives the release registry, prefix and mirrors every repository gets unless a rule matches. */
    public ReleaseTargets(String stagingPrefix, Rule defaults, List<Rule> rules) {
        // The builder's SLIPWAY_STAGING_PREFIX is a path segment ("staging"); accept it with or without the slash.
        this.stagingPrefix = stagingPrefix == null || stagingPrefix.isEmpty() ? ""
                : stagingPrefix.endsWith("/") ? stagingPrefix : stagingPrefix + "/";
        this.defaults = defaults;
        this.rules = rules.stream().map(r -> new CompiledRule(Glob.of(r.pattern()), r)).toList();
    }

    /** The primary release target first, then the mirrors. */
    public List<ImageRef> of(String repository, ImageRef staged) {
        Rule rule = rules.stream().filter(r -> r.pattern().matches(repository)).map(CompiledRule::rule)
                .findFirst().orElse(defaults);
        String name = imageName(staged);
        String registry = rule.registry() != null ? rule.registry() : defaults.registry();
        String prefix = rule.prefix() != null ? rule.prefix() : defaults.prefix();
        List<ImageRef> targets = new ArrayList<>();
        targets.add(new ImageRef(registry, rule.repository() != null ? rule.repository() : join(prefix, name)));
        List<String> mirrors = rule.mirrors() != null ? rule.mirrors() : defaults.mirrors();
        for (String mirror : mirrors == null ? List.<String>of() : mirrors) {
            int slash = mirror.indexOf('/');
            targets.add(slash < 0 ? new ImageRef(mirror, name)
                    : new ImageRef(mirror.substring(0, slash), join(mirror.substring(slash + 1), name)));
        }
        return targets;
    }

    /** The image name a staged repository stands for: the staging repository without the staging prefix. */
    public String imageName(ImageRef staged) {
        return staged.repository().startsWith(stagingPrefix)
                ? staged.repository().substring(stagingPrefix.length()) : staged.repository();
    }

    private static String join(String prefix, String name) {
        if (prefix == null || prefix.isEmpty()) {
            return name;
        }
        return prefix.endsWith("/") ? prefix + name : prefix + "/" + name;
    }
}

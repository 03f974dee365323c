package io.slipway.common.policy;

import io.slipway.common.glob.Glob;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which image names a repository may publish under, so one repository cannot take another's release: by default
 * only its own name (its full name lower-cased: {@code Demo/App} publishes {@code demo/app}, a GitLab subgroup's
 * {@code group/sub/app} exactly that), plus whatever the operator's rules grant, each rule a {@link Glob} over
 * repository full names and the image prefixes those repositories may use. A prefix covers whole segments:
 * {@code demo/app} admits {@code demo/app} and {@code demo/app/worker}, never {@code demo/application}. A name that
 * is not a valid lower-case repository name ({@code ..}, empty segments, upper case) is nobody's.
 */
public final class ImageOwnership {

    /** The longest image name accepted, in characters (registries limit the whole reference). */
    public static final int MAX_NAME_LENGTH = 200;

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern NAME = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

    /** An operator's grant: repositories whose full name matches the glob may also publish under these prefixes. */
    public record Rule(String repositories, List<String> prefixes) {
    }

    private record Grant(Glob repositories, List<String> prefixes) {
    }

    private final List<Grant> grants;

    /**
     * @throws IllegalArgumentException when a rule's glob is malformed, or a prefix is not a valid image name (a
     *                                  trailing {@code /} is allowed), or a rule lists no prefix
     */
    public ImageOwnership(List<Rule> rules) {
        List<Grant> compiled = new ArrayList<>();
        for (Rule rule : rules) {
            List<String> prefixes = rule.prefixes() == null ? List.of() : rule.prefixes().stream()
                    .map(p -> p == null ? "" : p.strip()).filter(p -> !p.isEmpty())
                    .map(p -> prefix(rule.repositories(), p)).toList();
            if (prefixes.isEmpty()) {
                throw new IllegalArgumentException("image owner rule for '" + rule.repositories()
                        + "' lists no image prefix");
            }
            compiled.add(new Grant(Glob.of(rule.repositories()), prefixes));
        }
        this.grants = List.copyOf(compiled);
    }

    /** Every repository publishes under its own name only. */
    public static ImageOwnership ownNamesOnly() {
        return new ImageOwnership(List.of());
    }

    /** Whether {@code name} is a valid image repository name: lower-case components separated by single slashes. */
    public static boolean isImageName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }

    /**
     * A repository's own image name: its full name lower-cased, characters an image name cannot hold replaced by
     * {@code -}. It is the image a repository gets when its {@code .slipway.yml} names none.
     */
    public static String ownName(String repositoryFullName) {
        String lower = repositoryFullName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._/-]", "-");
        return NAME.matcher(lower).matches() ? lower
                : lower.replaceAll("[^a-z0-9/]+", "-").replaceAll("(^-+|-+$)", "");
    }

    /** The prefixes the operator's rules grant a repository beyond its own name, in rule order. */
    public List<String> grantedPrefixes(String repositoryFullName) {
        return grants.stream().filter(g -> g.repositories().matches(repositoryFullName))
                .flatMap(g -> g.prefixes().stream()).distinct().toList();
    }

    /** Whether the repository may publish {@code image}. */
    public boolean owns(String repositoryFullName, String image) {
        if (repositoryFullName == null || !isImageName(image)) {
            return false;
        }
        if (image.equals(ownName(repositoryFullName))) {
            return true;
        }
        return grantedPrefixes(repositoryFullName).stream().anyMatch(prefix -> image.equals(prefix) || image.startsWith(prefix + "/"));
    }

    /** Why the repository may not publish {@code image}, or empty when it may. */
    public Optional<String> refusal(String repositoryFullName, String image) {
        if (owns(repositoryFullName, image)) {
            return Optional.empty();
        }
        List<String> granted = grantedPrefixes(repositoryFullName);
        return Optional.of("image '" + image + "' is not repository " + repositoryFullName + "'s to publish: it may "
                + "publish '" + ownName(repositoryFullName) + "'" + (granted.isEmpty() ? ""
                : " and names at or under " + String.join(", ", granted.stream().map(p -> "'" + p + "'").toList()))
                + " (operators grant more with slipway.images.owners)");
    }

    private static String prefix(String repositories, String written) {
        String prefix = written.endsWith("/") ? written.substring(0, written.length() - 1) : written;
        if (!isImageName(prefix)) {
            throw new IllegalArgumentException("image owner rule for '" + repositories + "': prefix '" + written
                    + "' is not a lower-case image name like 'team/app' or 'team/'");
        }
        return prefix;
    }
}

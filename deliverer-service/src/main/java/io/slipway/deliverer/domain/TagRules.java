package io.slipway.deliverer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release tags a delivery claims: always the full commit sha; for a branch push the sanitized branch name, and
 * {@code latest} only on the default branch; for a {@code vX.Y.Z} (or {@code X.Y.Z}) git tag {@code X.Y.Z}, {@code X.Y}
 * and {@code X}, of which a pre-release ({@code v1.2.3-rc.1}) claims only its full version. Other refs (pull
 * requests, other tags) claim only the sha. A branch whose sanitized name would read as a sha, a version or
 * {@code latest} is prefixed with {@code branch-}.
 */
public final class TagRules {

    public static final String LATEST = "latest";
    private static final String BRANCHES = "refs/heads/";
    private static final String TAGS = "refs/tags/";
    private static final int MAX_TAG = 128;
    private static final Pattern SEMVER = Pattern.compile(
            "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final Pattern NOT_IN_TAG = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Pattern RESERVED = Pattern.compile(
            "latest|[0-9a-f]{40}|[0-9a-f]{64}|\\d+|\\d+\\.\\d+|\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");

    private final String defaultBranch;

    public TagRules(String defaultBranch) {
        this.defaultBranch = defaultBranch;
    }

    /** Every tag the delivery claims, sha first. */
    public List<TagClaim> claims(Delivery delivery) {
        Precedence run = Precedence.of(delivery);
        List<TagClaim> claims = new ArrayList<>();
        claims.add(new TagClaim(delivery.sha().toLowerCase(Locale.ROOT), run));
        String ref = delivery.ref();
        if (ref.startsWith(BRANCHES)) {
            String branch = ref.substring(BRANCHES.length());
            claims.add(new TagClaim(branchTag(branch), run));
            if (branch.equals(defaultBranch)) {
                claims.add(new TagClaim(LATEST, run));
            }
        } else if (ref.startsWith(TAGS)) {
            Matcher version = SEMVER.matcher(ref.substring(TAGS.length()));
            if (version.matches()) {
                int major = Integer.parseInt(version.group(1));
                int minor = Integer.parseInt(version.group(2));
                int patch = Integer.parseInt(version.group(3));
                Precedence ranked = run.withVersion(major, minor, patch);
                String full = major + "." + minor + "." + patch;
                if (version.group(4) != null) {
                    claims.add(new TagClaim(sanitize(full + version.group(4)), ranked));
                } else {
                    claims.add(new TagClaim(full, ranked));
                    claims.add(new TagClaim(major + "." + minor, ranked));
                    claims.add(new TagClaim(Integer.toString(major), ranked));
                }
            }
        }
        return claims;
    }

    /** The tag of a branch: characters a tag cannot hold become {@code -}, at most 128 characters. */
    static String branchTag(String branch) {
        String tag = sanitize(branch);
        return RESERVED.matcher(tag).matches() ? sanitize("branch-" + tag) : tag;
    }

    private static String sanitize(String name) {
        String tag = NOT_IN_TAG.matcher(name).replaceAll("-");
        if (tag.isEmpty() || tag.charAt(0) == '.' || tag.charAt(0) == '-') {
            tag = "_" + tag;
        }
        return tag.length() > MAX_TAG ? tag.substring(0, MAX_TAG) : tag;
    }
}

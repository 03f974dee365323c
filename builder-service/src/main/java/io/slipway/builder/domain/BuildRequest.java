package io.slipway.builder.domain;

import java.time.Instant;

/**
 * One commit to build, as the run announced it, plus where it waits in the build queue: {@code lane} and
 * {@code position} order the commits of one repository (a Kafka partition and offset), so a later position on the
 * same lane is a newer request.
 */
public record BuildRequest(String runId, String repository, String cloneUrl, String webUrl, String sha, String ref,
                           Instant triggeredAt, int lane, long position) {

    /** The branch or tag name without {@code refs/heads/} or {@code refs/tags/}. */
    public String shortRef() {
        return ref.replaceFirst("^refs/(heads|tags)/", "");
    }

    public boolean isTag() {
        return ref.startsWith("refs/tags/");
    }

    public String shortSha() {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}

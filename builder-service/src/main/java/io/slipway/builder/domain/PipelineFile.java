package io.slipway.builder.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a repository's {@code .slipway.yml} asks for, with paths resolved against the repository root. {@code lines}
 * holds the line of each key that was written, so later checks (a named file does not exist) can name it.
 *
 * @param image      the image name, staged as {@code <registry>/staging/<image>:<sha>}
 * @param context    the build context directory ({@code ""} for the repository root)
 * @param dockerfile the Dockerfile, relative to the repository root (inside the context)
 * @param target     the multi-stage target, or null for the last stage
 * @param buildArgs  build arguments, in the order written
 * @param tests      test suite files for the tester, relative to the repository root
 * @param timeout    the build timeout the repository asks for, or null for the service's
 */
public record PipelineFile(String image, String context, String dockerfile, String target,
                           Map<String, String> buildArgs, List<String> tests, Duration timeout,
                           Map<String, Integer> lines) {

    public static final String PATH = ".slipway.yml";

    /** The line where {@code key} was written, or 1 when it was not. */
    public int line(String key) {
        return lines.getOrDefault(key, 1);
    }
}

package io.slipway.builder.domain;

import java.util.List;
import java.util.Map;

/** How a build request ended: an image staged in the registry, or a failure with its reason. */
public sealed interface BuildOutcome {

    /** What the build produced. */
    enum Kind {
        /** A container image in the staging registry. */
        CONTAINER,
        /** A VM image in the image service (Glance). */
        VM
    }

    /**
     * The image is in the staging repository under {@code digest}; {@code cacheHit} when it was there already;
     * {@code deploy} is the commit's {@code deploy:} block for the deployer, null when it has none; {@code labels}
     * are the OCI labels this build set on the image (none for a cache hit, which built nothing, or a VM image).
     */
    record Built(StagedImage image, long durationMillis, boolean cacheHit, List<TestSuite> testSuites, Kind kind,
                 DeployIntent deploy, Map<String, String> labels) implements BuildOutcome {

        public Built {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }

        /** An image with no labels of this build. */
        public Built(StagedImage image, long durationMillis, boolean cacheHit, List<TestSuite> testSuites, Kind kind,
                     DeployIntent deploy) {
            this(image, durationMillis, cacheHit, testSuites, kind, deploy, Map.of());
        }

        public Built(StagedImage image, long durationMillis, boolean cacheHit, List<TestSuite> testSuites) {
            this(image, durationMillis, cacheHit, testSuites, Kind.CONTAINER, null);
        }
    }

    /** The build ended without an image; {@code logExcerpt} holds the last lines of the masked log, or null. */
    record Failed(Reason reason, String message, String logExcerpt, boolean retryable) implements BuildOutcome {
    }

    /**
     * Where a staged image lives: registry host, repository ({@code staging/<image>}), tag (the sha) and digest. For a
     * VM image: the image service URL, the image name, no tag, and the image id.
     */
    record StagedImage(String registry, String repository, String tag, String digest) {
    }

    /** A test suite file of the application as it is at the commit: its path and text. */
    record TestSuite(String path, String content) {
    }
}

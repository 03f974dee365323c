package io.slipway.deployer.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * What a target reports after a deployment it considers done (the container healthy, the commit pushed, the server
 * active): where the environment answers, if known, and how long the target took.
 */
public record Deployment(Optional<String> url, Duration took) {

    public Deployment {
        url = url == null ? Optional.empty() : url;
        took = took == null ? Duration.ZERO : took;
    }
}

package io.slipway.builder.domain;

import java.util.Optional;

/** Port: tells whether a newer commit of the same repository and ref waits behind a request. */
@FunctionalInterface
public interface Supersession {

    /** The sha of the newest waiting commit of the same branch or tag after {@code request}, if any. */
    Optional<String> newerCommit(BuildRequest request);
}

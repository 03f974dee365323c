package io.slipway.deliverer.domain;

/** A repository in an OCI registry: {@code registry} is {@code host[:port]}, {@code repository} the path under it. */
public record ImageRef(String registry, String repository) {

    @Override
    public String toString() {
        return registry + "/" + repository;
    }
}

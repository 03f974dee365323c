package io.slipway.deliverer.domain;

/** A run's claim to a release tag, with the precedence it holds the tag by. */
public record TagClaim(String tag, Precedence precedence) {
}

package io.slipway.tester.domain;

/** Whose suite it is: the application's own (from its repository) or the infrastructure provider's (the tester's). */
public enum Origin {
    APPLICATION,
    PROVIDER
}

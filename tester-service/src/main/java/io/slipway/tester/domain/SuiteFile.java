package io.slipway.tester.domain;

/** A suite file as text: its path (in the repository, or in the provider's policy directory) and content. */
public record SuiteFile(String path, String content) {
}

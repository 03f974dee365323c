package io.slipway.tester.domain;

import java.util.List;

/** One image to test: the run it belongs to, the image by digest, and the application's suite files. */
public record TestRequest(String runId, int attempt, ImageRef image, boolean containerImage,
                          List<SuiteFile> applicationSuites) {
}

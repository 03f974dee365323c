package io.slipway.tester.domain;

import java.util.List;

/** The infrastructure provider's policy suites, applied to every image whatever its repository says. */
public interface ProviderSuites {

    /** The current suite files, read afresh for each run so that policy changes apply without a restart. */
    List<SuiteFile> load();
}

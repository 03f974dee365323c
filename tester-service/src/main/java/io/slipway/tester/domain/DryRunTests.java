package io.slipway.tester.domain;

import io.slipway.common.requests.StalenessWatch;

import java.util.List;

/**
 * The dry-run backend ({@code SLIPWAY_DRY_RUN=true}): every image passes at once with no suite run, no image pulled
 * and no report written (nor stopped for a stale pull or merge request), so the pipeline benchmark measures the
 * orchestration alone. Never for real images.
 */
public final class DryRunTests implements ImageTests {

    @Override
    public Outcome test(TestRequest request, StalenessWatch watch) {
        return new Outcome.Passed(List.of(), null, 0);
    }

    @Override
    public boolean light() {
        return true;
    }
}

package io.slipway.openstack;

import java.time.Duration;
import java.util.List;

/** Every check's outcome on one throwaway server; the suite passed when every check did. */
public record VmTestReport(String imageId, List<VmCheckResult> results, Duration duration) {

    public VmTestReport {
        results = List.copyOf(results);
    }

    public boolean passed() {
        return results.stream().allMatch(VmCheckResult::passed);
    }

    public long failures() {
        return results.stream().filter(result -> !result.passed()).count();
    }
}

package io.slipway.tester.domain;

import java.util.List;

/** What running one suite against the image produced: one entry per test case, in the order they ran. */
public record SuiteReport(String name, Origin origin, List<TestCase> cases, long durationMillis) {

    public long count(Status status) {
        return cases.stream().filter(c -> c.status() == status).count();
    }

    /** Test cases that do not block the image: passed, and failed at warn severity. */
    public int passed() {
        return (int) (count(Status.PASSED) + count(Status.WARNED));
    }

    public int failed() {
        return (int) count(Status.FAILED);
    }

    public int skipped() {
        return (int) count(Status.SKIPPED);
    }

    /** A test case passes, fails (at fail severity), warns (fails at warn severity) or is skipped. */
    public enum Status {
        PASSED, FAILED, WARNED, SKIPPED
    }

    /** One assertion that did not hold: what was checked, what was expected and what was found. */
    public record Failure(String what, String expected, String actual) {
        @Override
        public String toString() {
            return what + ": expected " + expected + ", actual " + actual;
        }
    }

    /** One test case; {@code output} is what the container printed, for the report (may be empty). */
    public record TestCase(String name, Status status, List<Failure> failures, long durationMillis, String output) {

        /** The case after its checks: passed without failures, else failed or warned by {@code severity}. */
        public static TestCase of(String name, Severity severity, List<Failure> failures, long durationMillis,
                                  String output) {
            Status status = failures.isEmpty() ? Status.PASSED
                    : severity == Severity.WARN ? Status.WARNED : Status.FAILED;
            return new TestCase(name, status, List.copyOf(failures), durationMillis, output);
        }

        public static TestCase skipped(String name, String why) {
            return new TestCase(name, Status.SKIPPED, List.of(new Failure("skipped", "to run", why)), 0, "");
        }
    }
}

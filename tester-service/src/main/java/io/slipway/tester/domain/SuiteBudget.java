package io.slipway.tester.domain;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time all suites of one run may take together, so one suite cannot hold the test stage for hours: every
 * command, request and start-up wait gets at most what is left, and once it is spent the remaining tests are not run.
 */
public final class SuiteBudget {

    private final Duration total;
    private final LongSupplier nanoTime;
    private final long deadline;

    SuiteBudget(Duration total, LongSupplier nanoTime) {
        this.total = total;
        this.nanoTime = nanoTime;
        this.deadline = nanoTime.getAsLong() + total.toNanos();
    }

    /** A budget of {@code total} starting now. */
    public static SuiteBudget start(Duration total) {
        return new SuiteBudget(total, System::nanoTime);
    }

    public Duration total() {
        return total;
    }

    /** True once no time is left. */
    public boolean spent() {
        return remaining().isZero();
    }

    /** {@code wanted}, or what is left of the budget when that is less. */
    public Duration cap(Duration wanted) {
        Duration left = remaining();
        return wanted.compareTo(left) <= 0 ? wanted : left;
    }

    private Duration remaining() {
        long left = deadline - nanoTime.getAsLong();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }
}

package io.slipway.tester.domain;

/** Keeps the JUnit XML report of each run attempt where users can fetch it. */
public interface ReportStore {

    /** Stores (or replaces) the report of {@code runId}/{@code attempt} and returns the URL to fetch it from. */
    String store(String runId, int attempt, String junitXml);
}

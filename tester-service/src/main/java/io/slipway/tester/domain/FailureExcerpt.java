package io.slipway.tester.domain;

import io.slipway.common.text.TerminalText;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code BuildFailed.logExcerpt} of a test run: one line per failing assertion (suite, test, expected, actual),
 * failures before warnings, each line without terminal escapes or control characters (a container's output is the
 * image's to choose) and shortened, the whole at most {@value #MAX_BYTES} bytes of UTF-8 and ending with where the
 * full JUnit report is.
 */
public final class FailureExcerpt {

    public static final int MAX_BYTES = 8 * 1024;
    private static final int MAX_LINE_CHARS = 1024;
    private static final int RESERVED_BYTES = 120;

    private FailureExcerpt() {
    }

    public static String of(List<SuiteReport> suites, String reportLocation) {
        List<String> lines = new ArrayList<>();
        collect(lines, suites, SuiteReport.Status.FAILED, "FAIL");
        collect(lines, suites, SuiteReport.Status.WARNED, "WARN");
        String trailer = reportLocation == null ? "" : "Full report (JUnit XML): " + reportLocation;
        int budget = MAX_BYTES - bytes(trailer) - RESERVED_BYTES;
        StringBuilder out = new StringBuilder();
        int used = 0;
        int shown = 0;
        for (String line : lines) {
            int size = bytes(line) + 1;
            if (used + size > budget) {
                break;
            }
            out.append(line).append('\n');
            used += size;
            shown++;
        }
        if (shown < lines.size()) {
            out.append("… and ").append(lines.size() - shown).append(" more failing assertions\n");
        }
        return out.append(trailer).toString().strip();
    }

    private static void collect(List<String> lines, List<SuiteReport> suites, SuiteReport.Status status, String tag) {
        for (SuiteReport suite : suites) {
            for (SuiteReport.TestCase test : suite.cases()) {
                if (test.status() == status) {
                    for (SuiteReport.Failure failure : test.failures()) {
                        String line = TerminalText.strip(tag + " [" + suite.origin() + " " + suite.name() + "] "
                                + test.name() + " — " + failure);
                        lines.add(line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "…");
                    }
                }
            }
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

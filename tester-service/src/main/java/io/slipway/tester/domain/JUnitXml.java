package io.slipway.tester.domain;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a run's suite reports as JUnit XML (the Ant/Surefire dialect Jenkins, GitLab and Tekton read): one
 * {@code <testsuite>} per suite with its origin as a property, a {@code <failure>} listing every failed assertion,
 * {@code <skipped>} for checks that could not run, and warnings (failures at warn severity) in {@code <system-err>}.
 */
public final class JUnitXml {

    private JUnitXml() {
    }

    /**
     * The report as a stage publishes it: at most {@code maxBytes} of UTF-8. A larger one keeps every case that did
     * not pass (failed first in the reader's eye, they are what the report is for) and drops passed ones, then the
     * output of the kept cases, then (failed cases first in each suite) cases from the end, and says it was {@code truncated}.
     */
    public static Bounded bounded(String name, List<SuiteReport> suites, Instant timestamp, int maxBytes) {
        String full = render(name, suites, timestamp);
        if (bytes(full) <= maxBytes) {
            return new Bounded(full, false);
        }
        List<SuiteReport> kept = suites.stream().map(suite -> new SuiteReport(suite.name(), suite.origin(),
                suite.cases().stream().filter(c -> c.status() != SuiteReport.Status.PASSED).toList(),
                suite.durationMillis())).toList();
        String withoutPassed = render(name, kept, timestamp);
        if (bytes(withoutPassed) <= maxBytes) {
            return new Bounded(withoutPassed, true);
        }
        List<SuiteReport> quiet = kept.stream().map(suite -> new SuiteReport(suite.name(), suite.origin(),
                suite.cases().stream().sorted(Comparator.comparing(c -> c.status() != SuiteReport.Status.FAILED))
                        .map(c -> new SuiteReport.TestCase(c.name(), c.status(), c.failures(), c.durationMillis(), ""))
                        .toList(), suite.durationMillis())).toList();
        int total = quiet.stream().mapToInt(suite -> suite.cases().size()).sum();
        int fits = 0;
        int tooMany = total + 1;
        while (tooMany - fits > 1) {
            int middle = (fits + tooMany) >>> 1;
            if (bytes(render(name, firstCases(quiet, middle), timestamp)) <= maxBytes) {
                fits = middle;
            } else {
                tooMany = middle;
            }
        }
        return new Bounded(render(name, firstCases(quiet, fits), timestamp), true);
    }

    /** The suites with only their first {@code count} cases in all (suites left empty are left out). */
    private static List<SuiteReport> firstCases(List<SuiteReport> suites, int count) {
        List<SuiteReport> kept = new ArrayList<>();
        int left = count;
        for (SuiteReport suite : suites) {
            if (left <= 0) {
                break;
            }
            List<SuiteReport.TestCase> cases = suite.cases().subList(0, Math.min(left, suite.cases().size()));
            left -= cases.size();
            kept.add(new SuiteReport(suite.name(), suite.origin(), cases, suite.durationMillis()));
        }
        return kept;
    }

    /** A rendered report and whether cases were left out to keep it within its bound. */
    public record Bounded(String xml, boolean truncated) {
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    public static String render(String name, List<SuiteReport> suites, Instant timestamp) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", clean(name));
            counts(xml, suites.stream().mapToInt(s -> s.cases().size()).sum(),
                    suites.stream().mapToInt(SuiteReport::failed).sum(), suites.stream().mapToInt(SuiteReport::skipped).sum(),
                    suites.stream().mapToLong(SuiteReport::durationMillis).sum());
            for (SuiteReport suite : suites) {
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", clean(suite.name()));
                counts(xml, suite.cases().size(), suite.failed(), suite.skipped(), suite.durationMillis());
                xml.writeAttribute("timestamp", timestamp.toString());
                xml.writeStartElement("properties");
                xml.writeEmptyElement("property");
                xml.writeAttribute("name", "origin");
                xml.writeAttribute("value", suite.origin().name());
                xml.writeEndElement();
                for (SuiteReport.TestCase test : suite.cases()) {
                    testCase(xml, suite, test);
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit report: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void testCase(XMLStreamWriter xml, SuiteReport suite, SuiteReport.TestCase test)
            throws XMLStreamException {
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", clean(suite.origin().name().toLowerCase(Locale.ROOT) + "." + suite.name()));
        xml.writeAttribute("name", clean(test.name()));
        xml.writeAttribute("time", seconds(test.durationMillis()));
        String failures = test.failures().stream().map(SuiteReport.Failure::toString).collect(Collectors.joining("\n"));
        switch (test.status()) {
            case FAILED -> {
                xml.writeStartElement("failure");
                xml.writeAttribute("message", clean(test.failures().get(0).toString()));
                xml.writeAttribute("type", "AssertionError");
                xml.writeCharacters(clean(failures));
                xml.writeEndElement();
            }
            case SKIPPED -> {
                xml.writeEmptyElement("skipped");
                xml.writeAttribute("message", clean(failures));
            }
            case WARNED -> element(xml, "system-err", "WARNING (severity warn, does not fail the run):\n" + failures);
            case PASSED -> {
            }
        }
        if (!test.output().isEmpty()) {
            element(xml, "system-out", test.output());
        }
        xml.writeEndElement();
    }

    private static void counts(XMLStreamWriter xml, int tests, int failures, int skipped, long millis)
            throws XMLStreamException {
        xml.writeAttribute("tests", String.valueOf(tests));
        xml.writeAttribute("failures", String.valueOf(failures));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", String.valueOf(skipped));
        xml.writeAttribute("time", seconds(millis));
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(clean(text));
        xml.writeEndElement();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** Drops characters XML 1.0 cannot carry (control characters from command output). */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF
                || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF).forEach(out::appendCodePoint);
        return out.toString();
    }
}

package io.slipway.tester.domain;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
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

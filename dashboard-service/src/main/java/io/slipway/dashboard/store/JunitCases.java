package io.slipway.dashboard.store;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the test cases of a JUnit XML report, which is untrusted text: no DTD, no entity of any kind, no external
 * resource, at most {@link #MAX_CASES} cases and {@link #MAX_CHARS} characters. A report that is not such XML gives
 * no cases (empty), never an exception.
 */
final class JunitCases {

    static final int MAX_CASES = 10_000;
    static final int MAX_CHARS = 2 * 1024 * 1024;
    private static final int MAX_MESSAGE = 8192;

    /** One {@code <testcase>}: outcome FAILED, ERROR, SKIPPED or PASSED. */
    record Case(String suite, String name, String outcome, String message, long durationMillis) {
    }

    private JunitCases() {
    }

    /** The cases in report order, or empty when the text is not a JUnit XML report this reader accepts. */
    static Optional<List<Case>> parse(String xml) {
        if (xml == null || xml.length() > MAX_CHARS) {
            return Optional.empty();
        }
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setXMLResolver((publicId, systemId, base, namespace) -> {
            throw new XMLStreamException("external resources are not read: " + systemId);
        });
        trySet(factory, XMLConstants.ACCESS_EXTERNAL_DTD);
        trySet(factory, XMLConstants.ACCESS_EXTERNAL_SCHEMA);
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new StringReader(xml));
            return Optional.of(read(reader));
        } catch (XMLStreamException | RuntimeException e) {
            return Optional.empty();
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // Nothing is held open for a string.
                }
            }
        }
    }

    private static void trySet(XMLInputFactory factory, String property) {
        try {
            factory.setProperty(property, "");
        } catch (IllegalArgumentException ignored) {
            // A factory without the property reads no external resource through it either.
        }
    }

    private static List<Case> read(XMLStreamReader reader) throws XMLStreamException {
        List<Case> cases = new ArrayList<>();
        List<String> suites = new ArrayList<>();
        String caseSuite = null;
        String caseName = null;
        long caseMillis = 0;
        String outcome = null;
        String message = null;
        StringBuilder body = null;
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new XMLStreamException("a report with a DTD or entities is not read");
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                String element = reader.getLocalName();
                switch (element) {
                    case "testsuite" -> suites.add(attribute(reader, "name", ""));
                    case "testcase" -> {
                        caseName = attribute(reader, "name", "");
                        String className = attribute(reader, "classname", null);
                        caseSuite = className != null ? className
                                : suites.isEmpty() ? "" : suites.get(suites.size() - 1);
                        caseMillis = millis(attribute(reader, "time", null));
                        outcome = "PASSED";
                        message = null;
                    }
                    case "failure", "error", "skipped" -> {
                        if (caseName != null) {
                            String found = element.equals("failure") ? "FAILED"
                                    : element.equals("error") ? "ERROR" : "SKIPPED";
                            if (rank(found) < rank(outcome)) {
                                outcome = found;
                                message = attribute(reader, "message", null);
                                body = new StringBuilder();
                            }
                        }
                    }
                    default -> {
                    }
                }
            } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) && body != null) {
                if (body.length() < MAX_MESSAGE) {
                    body.append(reader.getText(), 0, Math.min(reader.getTextLength(), MAX_MESSAGE - body.length()));
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                String element = reader.getLocalName();
                switch (element) {
                    case "testsuite" -> {
                        if (!suites.isEmpty()) {
                            suites.remove(suites.size() - 1);
                        }
                    }
                    case "failure", "error", "skipped" -> {
                        if (body != null && (message == null || message.isBlank()) && !body.toString().isBlank()) {
                            message = body.toString().strip();
                        }
                        body = null;
                    }
                    case "testcase" -> {
                        if (caseName != null) {
                            if (cases.size() >= MAX_CASES) {
                                throw new XMLStreamException("more than " + MAX_CASES + " test cases");
                            }
                            cases.add(new Case(caseSuite, caseName, outcome, message, caseMillis));
                        }
                        caseName = null;
                    }
                    default -> {
                    }
                }
            }
        }
        return cases;
    }

    /** Failed first: the lower the rank, the worse the outcome. */
    static int rank(String outcome) {
        return switch (outcome) {
            case "FAILED" -> 0;
            case "ERROR" -> 1;
            case "SKIPPED" -> 2;
            default -> 3;
        };
    }

    private static String attribute(XMLStreamReader reader, String name, String otherwise) {
        String value = reader.getAttributeValue(null, name);
        return value == null ? otherwise : value;
    }

    private static long millis(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return 0;
        }
        try {
            double value = Double.parseDouble(seconds.strip().replace(",", ""));
            return Double.isFinite(value) && value > 0 ? Math.min(Math.round(value * 1000), Long.MAX_VALUE / 2) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

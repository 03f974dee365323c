package io.slipway.tester.domain;

import io.slipway.tester.domain.SuiteReport.Failure;
import io.slipway.tester.domain.SuiteReport.TestCase;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JUnit XML report and the bounded BuildFailed excerpt of a run. */
class ReportRenderingTest {

    private static final List<SuiteReport> SUITES = List.of(
            new SuiteReport("tests/app.yaml", Origin.APPLICATION, List.of(
                    TestCase.of("Command Test: ok", Severity.FAIL, List.of(), 120, "hello\u0000\u001b[0m\n"),
                    TestCase.of("Command Test: bad", Severity.FAIL, List.of(new Failure("stdout", "to match 'x'", "'y'"),
                            new Failure("exit code", "0", "1")), 80, ""),
                    TestCase.skipped("Service Test: web › GET /", "port 8080 never listened")), 1500),
            new SuiteReport(ImagePolicies.SUITE, Origin.PROVIDER, List.of(
                    TestCase.of("CIS 4.6 has a HEALTHCHECK", Severity.WARN, List.of(new Failure("HEALTHCHECK",
                            "an instruction", "none")), 1, "")), 3));

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rendersWellFormedJUnitXmlWithCountsFailuresSkipsAndWarnings() throws Exception {
        String xml = JUnitXml.render("run <1> & more", SUITES, Instant.parse("2025-03-14T09:30:00Z"));

        Document doc = parse(xml);
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("name")).isEqualTo("run <1> & more");
        assertThat(root.getAttribute("tests")).isEqualTo("4");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
        assertThat(root.getAttribute("skipped")).isEqualTo("1");
        Element app = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(app.getAttribute("time")).isEqualTo("1.500");
        assertThat(app.getAttribute("timestamp")).isEqualTo("2025-03-14T09:30:00Z");
        assertThat(doc.getElementsByTagName("property").item(0).getAttributes().getNamedItem("value").getNodeValue())
                .isEqualTo("APPLICATION");
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("stdout: expected to match 'x', actual 'y'");
        assertThat(failure.getTextContent()).isEqualTo("stdout: expected to match 'x', actual 'y'\nexit code: expected 0, actual 1");
        assertThat(doc.getElementsByTagName("system-out").item(0).getTextContent()).isEqualTo("hello[0m\n");
        assertThat(doc.getElementsByTagName("skipped").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("system-err").item(0).getTextContent()).startsWith("WARNING");
        Element testcase = (Element) doc.getElementsByTagName("testcase").item(1);
        assertThat(testcase.getAttribute("classname")).isEqualTo("application.tests/app.yaml");
    }

    @Test
    void theExcerptListsFailuresThenWarningsAndEndsWithTheReport() {
        String excerpt = FailureExcerpt.of(SUITES, "http://tester/reports/r/1");

        assertThat(excerpt).isEqualTo("""
                FAIL [APPLICATION tests/app.yaml] Command Test: bad — stdout: expected to match 'x', actual 'y'
                FAIL [APPLICATION tests/app.yaml] Command Test: bad — exit code: expected 0, actual 1
                WARN [PROVIDER builtin:cis-docker-benchmark-4] CIS 4.6 has a HEALTHCHECK — HEALTHCHECK: expected an instruction, actual none
                Full report (JUnit XML): http://tester/reports/r/1""");
    }

    @Test
    void theExcerptCarriesNoTerminalEscapesOrControlCharactersTheContainerPrinted() {
        SuiteReport suite = new SuiteReport("tests/app.yaml", Origin.APPLICATION, List.of(TestCase.of("Command Test: c",
                Severity.FAIL, List.of(new Failure("stdout", "'ok'", "'\u001b[31mred\u001b[0m\u001b]0;title\u0007"
                        + "\u202egnp.exe\r'")), 1, "")), 1);

        String excerpt = FailureExcerpt.of(List.of(suite), null);

        assertThat(excerpt).isEqualTo("FAIL [APPLICATION tests/app.yaml] Command Test: c — stdout: expected 'ok', "
                + "actual 'redgnp.exe'");
    }

    @Test
    void theExcerptStaysWithinEightKibibytesWhateverFails() {
        List<TestCase> cases = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            cases.add(TestCase.of("Command Test: ü" + i, Severity.FAIL, List.of(new Failure("stdout", "to match 'ß'",
                    "'" + "€".repeat(3000) + "'")), 1, ""));
        }

        String excerpt = FailureExcerpt.of(List.of(new SuiteReport("big.yaml", Origin.APPLICATION, cases, 1)),
                "http://tester/reports/r/1");

        assertThat(excerpt.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FailureExcerpt.MAX_BYTES);
        assertThat(excerpt).contains("more failing assertions").endsWith("Full report (JUnit XML): http://tester/reports/r/1");
        assertThat(excerpt.lines().filter(l -> l.startsWith("FAIL")).count()).isGreaterThan(1);
    }

    @Test
    void aReportOverItsBoundKeepsEveryFailedCaseAndDropsPassedOnes() {
        List<TestCase> cases = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            cases.add(TestCase.of("passing " + i, Severity.FAIL, List.of(), 1, "x".repeat(500)));
        }
        cases.add(TestCase.of("the broken one", Severity.FAIL, List.of(new Failure("exit code", "0", "1")), 1, "boom"));
        List<SuiteReport> suites = List.of(new SuiteReport("tests/big.yaml", Origin.APPLICATION, cases, 1));
        Instant at = Instant.parse("2025-03-14T09:30:00Z");

        JUnitXml.Bounded bounded = JUnitXml.bounded("run", suites, at, 20_000);
        JUnitXml.Bounded whole = JUnitXml.bounded("run", suites, at, 10_000_000);

        assertThat(bounded.truncated()).isTrue();
        assertThat(bounded.xml().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(20_000);
        assertThat(bounded.xml()).contains("the broken one", "<failure").doesNotContain("passing 0");
        assertThat(whole.truncated()).isFalse();
        assertThat(whole.xml()).isEqualTo(JUnitXml.render("run", suites, at));
    }

    @Test
    void aReportOfFailuresAloneOverItsBoundKeepsTheFailedCasesThatFitFirst() {
        List<TestCase> cases = new ArrayList<>();
        cases.add(TestCase.of("warned", Severity.WARN, List.of(new Failure("w", "a", "b")), 1, ""));
        for (int i = 0; i < 100; i++) {
            cases.add(TestCase.of("failed " + i, Severity.FAIL, List.of(new Failure("check", "ok", "y".repeat(300))), 1,
                    "out".repeat(100)));
        }
        List<SuiteReport> suites = List.of(new SuiteReport("tests/red.yaml", Origin.APPLICATION, cases, 1));

        JUnitXml.Bounded bounded = JUnitXml.bounded("run", suites, Instant.EPOCH, 10_000);

        assertThat(bounded.truncated()).isTrue();
        assertThat(bounded.xml().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(10_000);
        assertThat(bounded.xml()).contains("failed 0", "failed 5").doesNotContain("warned", "outout");
    }
}

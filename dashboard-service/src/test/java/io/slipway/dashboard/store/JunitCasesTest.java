package io.slipway.dashboard.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JunitCasesTest {

    @Test
    void readsOutcomesMessagesAndDurationsInReportOrder() {
        List<JunitCases.Case> cases = JunitCases.parse("""
                <testsuites><testsuite name="outer">
                  <testcase name="ok" time="1.5"/>
                  <testcase name="broken" classname="pkg.Broken"><error><![CDATA[boom at line 3]]></error></testcase>
                  <testcase name="later"><skipped message="not today"/></testcase>
                </testsuite></testsuites>
                """).orElseThrow();
        assertThat(cases).containsExactly(
                new JunitCases.Case("outer", "ok", "PASSED", null, 1500),
                new JunitCases.Case("pkg.Broken", "broken", "ERROR", "boom at line 3", 0),
                new JunitCases.Case("outer", "later", "SKIPPED", "not today", 0));
    }

    @Test
    void refusesMoreCasesThanTheBound() {
        String xml = "<testsuite>" + "<testcase name='c'/>".repeat(JunitCases.MAX_CASES + 1) + "</testsuite>";
        assertThat(JunitCases.parse(xml)).isEmpty();
    }
}

package io.slipway.tester.domain;

import io.slipway.tester.domain.GoSemantics.FileType;
import io.slipway.tester.domain.SuiteReport.Status;
import io.slipway.tester.domain.SuiteReport.TestCase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in CIS Docker Benchmark §4 policies, each at its own severity, against images in memory. */
class ImagePoliciesTest {

    private static final String SECRETS = "(PASSWORD|SECRET|TOKEN|API_?KEY)";

    private static ImagePolicies policies(Severity severity) {
        return new ImagePolicies(new ImagePolicies.Settings(severity, severity, severity, severity, SECRETS));
    }

    @Test
    void aWellBehavedImagePassesEveryPolicy() {
        FakeImage image = new FakeImage().file("/bin/app", FileType.FILE, 0755, null);
        image.config = FakeImage.config(Map.of("PATH", "/bin", "GPG_KEY", "ABC"), "app:app");

        SuiteReport report = policies(Severity.FAIL).run(image);

        assertThat(report.name()).isEqualTo(ImagePolicies.SUITE);
        assertThat(report.origin()).isEqualTo(Origin.PROVIDER);
        assertThat(report.cases()).extracting(TestCase::status).containsOnly(Status.PASSED).hasSize(4);
    }

    @Test
    void flagsRootSetuidSecretsAndAMissingHealthcheck() {
        FakeImage image = new FakeImage().file("/usr/bin/passwd", FileType.FILE, 04755, null)
                .file("/usr/bin/wall", FileType.FILE, 02755, null).file("/tmp", FileType.DIRECTORY, 01777, null);
        image.config = new ImageUnderTest.Config(Map.of("db_password", "hunter2", "API_KEY", "", "AWS_SECRET_ACCESS_KEY", "x"),
                Map.of(), List.of(), List.of(), List.of(), List.of(), "", "0:0", List.of("NONE"));

        SuiteReport report = policies(Severity.FAIL).run(image);

        assertThat(report.cases()).extracting(TestCase::status).containsOnly(Status.FAILED);
        assertThat(report.cases().stream().flatMap(c -> c.failures().stream()).map(Object::toString).toList())
                .containsExactlyInAnyOrder(
                        "USER: expected a non-root user, actual 0:0",
                        "HEALTHCHECK: expected an instruction, actual NONE",
                        "/usr/bin/passwd: expected no setuid/setgid bit, actual urwxr-xr-x",
                        "/usr/bin/wall: expected no setuid/setgid bit, actual grwxr-xr-x",
                        "ENV db_password: expected no secret-looking variable, actual set (value not shown)",
                        "ENV AWS_SECRET_ACCESS_KEY: expected no secret-looking variable, actual set (value not shown)");
    }

    @Test
    void severitiesDecideBetweenFailWarnAndNotRunningAtAll() {
        FakeImage image = new FakeImage();
        image.config = FakeImage.config(Map.of(), "");

        assertThat(policies(Severity.WARN).run(image).cases()).filteredOn(c -> c.name().startsWith("CIS 4.1 "))
                .extracting(TestCase::status).containsExactly(Status.WARNED);
        assertThat(policies(Severity.OFF).run(image).cases()).isEmpty();
    }

    @Test
    void listsAtMostTwentySetuidFiles() {
        FakeImage image = new FakeImage();
        for (int i = 0; i < 25; i++) {
            image.file("/bin/s" + i, FileType.FILE, 04711, null);
        }

        SuiteReport report = policies(Severity.FAIL).run(image);

        TestCase setuid = report.cases().stream().filter(c -> c.name().contains("4.8")).findFirst().orElseThrow();
        assertThat(setuid.failures()).hasSize(21);
        assertThat(setuid.failures().get(20).toString()).isEqualTo("more files: expected none, actual 5 more");
    }
}

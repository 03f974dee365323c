package io.slipway.tester.domain;

import io.slipway.tester.domain.GoSemantics.FileType;
import io.slipway.tester.domain.ImageUnderTest.Exec;
import io.slipway.tester.domain.ImageUnderTest.HttpAnswer;
import io.slipway.tester.domain.SuiteReport.Status;
import io.slipway.tester.domain.SuiteReport.TestCase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Assertion evaluation against an image in memory: upstream's checks, messages and order, without Docker. */
class StructureTestsTest {

    private final SuiteParser parser = new SuiteParser(Duration.ofSeconds(5));
    private final StructureTests tests = new StructureTests(Duration.ofSeconds(10));
    private final FakeImage image = new FakeImage();

    private SuiteReport run(String yaml) {
        return tests.run(parser.parse("suite.yaml", "schemaVersion: '2.0.0'\n" + yaml, Origin.APPLICATION), image,
                tests.budget());
    }

    private static List<String> failures(SuiteReport report) {
        return report.cases().stream().flatMap(c -> c.failures().stream()).map(Object::toString).toList();
    }

    @Test
    void expandsCommandArgsAndEnvFromTheImageEnvironment() {
        image.config = FakeImage.config(Map.of("PATH", "/usr/bin:/bin", "APP", "demo"), "1000");
        image.exec = argv -> new Exec(0, "/usr/bin:/bin\n", "", false);

        SuiteReport report = run("""
                globalEnvVars: [{key: HOME_DIR, value: /home/$APP}]
                commandTests:
                - name: path
                  command: sh
                  args: ['-c', 'echo $PATH']
                  envVars: [{key: PATH, value: '/opt/bin:$PATH'}]
                  expectedOutput: ['^/usr/bin:/bin\\n$']
                """);

        assertThat(image.commands).containsExactly(List.of("sh", "-c", "echo /usr/bin:/bin"));
        assertThat(image.envs).containsExactly("HOME_DIR=/home/demo", "PATH=/opt/bin:/usr/bin:/bin");
        assertThat(report.cases()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("Command Test: path");
            assertThat(c.status()).isEqualTo(Status.PASSED);
        });
    }

    @Test
    void reportsCommandFailuresInUpstreamsOrder() {
        image.exec = argv -> new Exec(2, "hello\n", "FAIL: boom\n", false);

        SuiteReport report = run("""
                commandTests:
                - name: c
                  command: run
                  expectedOutput: ['bye']
                  excludedOutput: ['hel+o']
                  expectedError: ['warning']
                  excludedError: ['.*FAIL.*']
                """);

        assertThat(failures(report)).containsExactly(
                "stderr: expected to match 'warning', actual 'FAIL: boom\n'",
                "stderr: expected not to match '.*FAIL.*', actual 'FAIL: boom\n'",
                "stdout: expected to match 'bye', actual 'hello\n'",
                "stdout: expected not to match 'hel+o', actual 'hello\n'",
                "exit code: expected 0, actual 2");
        assertThat(report.cases().get(0).output()).isEqualTo("hello\n\n[stderr]\nFAIL: boom\n");
    }

    @Test
    void aCommandKilledAtItsDeadlineFailsOnThatAlone() {
        image.exec = argv -> new Exec(137, "", "", true);

        SuiteReport report = run("commandTests:\n- name: slow\n  command: sleep\n  args: ['99']\n");

        assertThat(failures(report)).containsExactly("deadline: expected to finish within 10s, actual killed at the deadline");
    }

    @Test
    void checksFileExistencePermissionsOwnershipAndExecutableBits() {
        image.file("/", FileType.DIRECTORY, 0755, null).file("/app/run", FileType.FILE, 0744, null)
                .file("/bin/sh", FileType.SYMLINK, 0777, null);

        SuiteReport report = run("""
                fileExistenceTests:
                - {name: root, path: /, permissions: drwxr-xr-x, uid: 0, gid: 0}
                - {name: link, path: /bin/sh, permissions: Lrwxrwxrwx}
                - {name: run, path: /app/run, isExecutableBy: group, uid: 1000, permissions: '-rwxr--r--'}
                - {name: missing, path: /nope}
                - {name: absent, path: /nope, shouldExist: false}
                - {name: present, path: /app/run, shouldExist: false}
                """);

        assertThat(report.cases()).extracting(TestCase::status).containsExactly(Status.PASSED, Status.PASSED,
                Status.FAILED, Status.FAILED, Status.PASSED, Status.FAILED);
        assertThat(failures(report)).containsExactly(
                "/app/run executable by group: expected an x bit, actual -rwxr--r--",
                "/app/run owner uid: expected 1000, actual 0",
                "/nope: expected to exist, actual no such file",
                "/app/run: expected not to exist, actual exists (-rwxr--r--)");
    }

    @Test
    void checksFileContentWithRegexes() {
        image.file("/etc/os-release", FileType.FILE, 0644, "NAME=\"Busybox\"\nID=busybox\n");

        SuiteReport report = run("""
                fileContentTests:
                - {name: os, path: /etc/os-release, expectedContents: ['(?m)^ID=busybox$'], excludedContents: ['debian']}
                - {name: wrong, path: /etc/os-release, expectedContents: ['^ID=debian']}
                - {name: gone, path: /etc/none}
                """);

        assertThat(report.cases()).extracting(TestCase::status).containsExactly(Status.PASSED, Status.FAILED,
                Status.FAILED);
        assertThat(failures(report)).containsExactly(
                "/etc/os-release content: expected to match '^ID=debian', actual 'NAME=\"Busybox\"\nID=busybox\n'",
                "/etc/none: expected a readable file, actual no such file (or not a file)");
    }

    @Test
    void checksMetadataAsUpstreamDoes() {
        image.config = new ImageUnderTest.Config(Map.of("SOME_KEY", "SOME_VAL", "EMPTY_VAR", "",
                "REGEX_VAR", "abc-2.1.0", "BAR_FOO", "x"), Map.of("build-date", "2024-01-02T03:04:05.123456"),
                List.of("8080/tcp"), List.of("/data"), List.of(), List.of("/bin/sh"), "/app", "luke", null);

        SuiteReport passing = run("""
                metadataTest:
                  envVars:
                  - {key: SOME_KEY, value: SOME_VAL}
                  - {key: EMPTY_VAR, value: ''}
                  - {key: REGEX_VAR, value: '[a-z]+-2\\.1\\.*', isRegex: true}
                  labels:
                  - {key: build-date, value: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}$', isRegex: true}
                  exposedPorts: ['8080']
                  unexposedPorts: ['80']
                  volumes: ['/data']
                  unmountedVolumes: ['/root']
                  entrypoint: []
                  cmd: ['/bin/sh']
                  workdir: /app
                  user: luke
                """);
        SuiteReport failing = run("""
                metadataTest:
                  envVars: [{key: MISSING, value: x}]
                  unboundEnvVars: [{key: BAR_FOO}]
                  exposedPorts: ['2345']
                  unexposedPorts: ['8080']
                  entrypoint: ['/custom_bin']
                  workdir: /srv
                """);

        assertThat(passing.cases()).singleElement().extracting(TestCase::status).isEqualTo(Status.PASSED);
        assertThat(failures(failing)).containsExactly(
                "env var MISSING: expected 'x', actual not set",
                "env var BAR_FOO: expected not to be set, actual set",
                "entrypoint: expected [/custom_bin], actual []",
                "workdir: expected /srv, actual '/app'",
                "exposed port 2345: expected present, actual absent from [8080/tcp, 8080]",
                "exposed port 8080: expected absent, actual present");
    }

    @Test
    void licenseTestsLookForBannedLicences() {
        image.file("/usr/share/doc", FileType.DIRECTORY, 0755, null)
                .file("/usr/share/doc/good", FileType.DIRECTORY, 0755, null)
                .file("/usr/share/doc/good/copyright", FileType.FILE, 0644, "GPL-2+")
                .file("/usr/share/doc/bad", FileType.DIRECTORY, 0755, null)
                .file("/usr/share/doc/bad/copyright", FileType.FILE, 0644, "License: agpl-3")
                .file("/usr/share/doc/libgnutls30", FileType.DIRECTORY, 0755, null);

        SuiteReport report = run("licenseTests:\n- debian: true\n  files: [/extra/LICENSE]\n");

        assertThat(failures(report)).containsExactlyInAnyOrder(
                "license file /usr/share/doc/bad/copyright: expected no AGPL or WTFPL, actual contains AGPL",
                "license file /extra/LICENSE: expected readable, actual no such file");
    }

    @Test
    void serviceChecksRunOnceThePortListensAndAreSkippedWhenItNeverDoes() {
        image.answers = Map.of("GET /health", new HttpAnswer(200, "{\"status\":\"UP\"}"),
                "GET /admin", new HttpAnswer(403, "forbidden"));
        image.exec = argv -> new Exec(0, "pong\n", "", false);
        String suite = """
                serviceTests:
                - name: api
                  port: 8080
                  http:
                  - {path: /health, expectedBody: ['"status":"UP"']}
                  - {path: /admin, expectedStatus: 200, excludedBody: ['forbidden']}
                  - {path: /down}
                  commands:
                  - {name: ping, command: ping, expectedOutput: [pong]}
                """;

        SuiteReport up = run(suite);
        image.listening = false;
        SuiteReport down = run(suite);

        assertThat(up.cases()).extracting(TestCase::name, TestCase::status).containsExactly(
                tuple("Service Test: api › port 8080 listening", Status.PASSED),
                tuple("Service Test: api › GET /health", Status.PASSED),
                tuple("Service Test: api › GET /admin", Status.FAILED),
                tuple("Service Test: api › GET /down", Status.FAILED),
                tuple("Service Test: api › ping", Status.PASSED));
        assertThat(failures(up)).containsExactly("HTTP status: expected 200, actual 403",
                "HTTP body: expected not to match 'forbidden', actual 'forbidden'",
                "HTTP answer: expected status 200, actual connection refused");
        assertThat(down.cases()).extracting(TestCase::status).containsExactly(Status.FAILED, Status.SKIPPED,
                Status.SKIPPED, Status.SKIPPED, Status.SKIPPED);
        assertThat(down.cases().get(0).output()).isEqualTo("starting…");
        assertThat(image.servicesStarted).as("every service container is closed").isZero();
    }

    @Test
    void aWarnSeveritySuiteWarnsInsteadOfFailing() {
        image.exec = argv -> new Exec(1, "", "", false);

        SuiteReport report = run("severity: warn\ncommandTests:\n- {name: c, command: 'false'}\n");

        assertThat(report.cases()).extracting(TestCase::status).containsExactly(Status.WARNED);
        assertThat(report.passed()).isEqualTo(1);
        assertThat(report.failed()).isZero();
    }

    @Test
    void onceTheRunsTimeIsSpentTheRemainingTestsAreSkippedAndTheSuiteFailsSayingSo() {
        AtomicLong now = new AtomicLong();
        SuiteBudget budget = new SuiteBudget(Duration.ofSeconds(25), now::get);
        image.exec = argv -> {
            now.addAndGet(Duration.ofSeconds(12).toNanos());
            return new Exec(0, "", "", false);
        };
        Suite suite = parser.parse("suite.yaml", "schemaVersion: '2.0.0'\ncommandTests:\n"
                + "- {name: one, command: 'true'}\n- {name: two, command: 'true'}\n- {name: three, command: 'true'}\n"
                + "- {name: four, command: 'true'}\nserviceTests:\n- name: web\n  port: 80\n  http: [{path: /}]\n",
                Origin.APPLICATION);

        SuiteReport report = tests.run(suite, image, budget);

        assertThat(image.deadlines).as("each command gets at most what is left").containsExactly(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertThat(report.cases()).extracting(TestCase::name, TestCase::status).containsExactly(
                tuple("Command Test: one", Status.PASSED), tuple("Command Test: two", Status.PASSED),
                tuple("Command Test: three", Status.PASSED), tuple("Command Test: four", Status.SKIPPED),
                tuple("Service Test: web › port 80 listening", Status.SKIPPED),
                tuple("Service Test: web › GET /", Status.SKIPPED), tuple("Suite time limit", Status.FAILED));
        assertThat(failures(report)).contains("suite time: expected every test to run within 25s, actual 3 test(s) not run");
        assertThat(image.servicesStarted).isZero();
    }

    @Test
    void aClampedStartupTimeoutIsWhatTheTesterWaitsAndTheReportSaysSo() {
        SuiteParser limited = new SuiteParser(new SuiteParser.Limits(Duration.ofSeconds(5), Duration.ofSeconds(3),
                10, 100));
        image.listening = false;

        SuiteReport report = tests.run(limited.parse("suite.yaml", "schemaVersion: '2.0.0'\nserviceTests:\n"
                + "- {name: web, port: 80, startupTimeout: 100h}\n", Origin.APPLICATION), image, tests.budget());

        assertThat(image.deadlines).containsExactly(Duration.ofSeconds(3));
        assertThat(failures(report)).containsExactly("port 80: expected listening within 3000 ms, actual not listening");
        assertThat(report.cases().get(0).output()).startsWith("startupTimeout 100h is above this tester's maximum; "
                + "clamped to 3s\n");
    }
}

package io.slipway.tester.domain;

import io.slipway.tester.domain.ImageUnderTest.Config;
import io.slipway.tester.domain.ImageUnderTest.Exec;
import io.slipway.tester.domain.ImageUnderTest.FileEntry;
import io.slipway.tester.domain.Suite.EnvVar;
import io.slipway.tester.domain.Suite.OutputExpectations;
import io.slipway.tester.domain.SuiteReport.Failure;
import io.slipway.tester.domain.SuiteReport.TestCase;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs one suite against the image the way container-structure-test's docker driver does: each command test in a
 * fresh container (entrypoint overridden, {@code $VAR} in command, args and env values expanded from the image's
 * environment), file tests against the image's filesystem, the metadata test against its configuration; then
 * Slipway's service tests. Assertions and their order follow upstream; a suite's severity decides whether a failed
 * case fails or warns.
 */
public final class StructureTests {

    static final int MAX_SHOWN = 2000;
    private static final List<String> BANNED_LICENSES = List.of("AGPL", "WTFPL");
    private static final List<String> LICENSE_ALLOWED_PACKAGES = List.of("libgnutls30");
    private static final String DEBIAN_DOCS = "/usr/share/doc";

    private final Duration testTimeout;
    private final Duration suitesTimeout;

    /**
     * {@code testTimeout} is the deadline of each command, HTTP request and exec; {@code suitesTimeout} the time all
     * suites of one run may take together.
     */
    public StructureTests(Duration testTimeout, Duration suitesTimeout) {
        this.testTimeout = testTimeout;
        this.suitesTimeout = suitesTimeout;
    }

    /** With the shipped limit of 30 minutes for all suites of a run. */
    public StructureTests(Duration testTimeout) {
        this(testTimeout, Duration.ofMinutes(30));
    }

    /** The time budget of one run's suites, starting now. */
    public SuiteBudget budget() {
        return SuiteBudget.start(suitesTimeout);
    }

    /**
     * Runs {@code suite} within what is left of {@code budget}: each command, request and start-up wait gets at most
     * the remaining time, and when it is spent the remaining tests are skipped and a failing case says so.
     */
    public SuiteReport run(Suite suite, ImageUnderTest image, SuiteBudget budget) {
        long start = System.nanoTime();
        Config config = image.config();
        Function<String, String> imageEnv = config.env()::get;
        Cases cases = new Cases(budget);
        Severity severity = suite.severity();
        for (Suite.CommandTest t : suite.commandTests()) {
            cases.timed("Command Test: " + t.name(), severity, () -> {
                List<String> env = env(Stream.concat(suite.globalEnvVars().stream(), t.envVars().stream()).toList(),
                        imageEnv);
                List<String> argv = t.argv().stream().map(a -> GoSemantics.expand(a, imageEnv)).toList();
                Duration deadline = budget.cap(testTimeout);
                Exec exec = image.run(t.setup(), env, argv, suite.runOptions(), deadline);
                return new Checked(output("", t.expect(), exec, deadline), shown(exec));
            });
        }
        for (Suite.FileExistenceTest t : suite.fileExistenceTests()) {
            cases.timed("File Existence Test: " + t.name(), severity,
                    () -> new Checked(fileExistence(t, image, imageEnv), ""));
        }
        for (Suite.FileContentTest t : suite.fileContentTests()) {
            cases.timed("File Content Test: " + t.name(), severity,
                    () -> new Checked(fileContent(t, image, imageEnv), ""));
        }
        if (suite.metadataTest() != null) {
            cases.timed("Metadata Test", severity, () -> new Checked(metadata(suite.metadataTest(), config), ""));
        }
        for (Suite.LicenseTest t : suite.licenseTests()) {
            cases.timed("License Test", severity, () -> new Checked(license(t, image), ""));
        }
        for (Suite.ServiceTest t : suite.serviceTests()) {
            service(t, suite, image, imageEnv, cases);
        }
        return new SuiteReport(suite.name(), suite.origin(), cases.done(), millisSince(start));
    }

    private List<String> env(List<EnvVar> vars, Function<String, String> imageEnv) {
        return vars.stream().map(v -> v.key() + "=" + GoSemantics.expand(v.value(), imageEnv)).toList();
    }

    /** Upstream's order: expectedError, excludedError, expectedOutput, excludedOutput, exit code. */
    private List<Failure> output(String prefix, OutputExpectations expect, Exec exec, Duration deadline) {
        List<Failure> failures = new ArrayList<>();
        if (exec.timedOut()) {
            failures.add(new Failure(prefix + "deadline", "to finish within " + shown(deadline),
                    "killed at the deadline"));
            return failures;
        }
        regexes(failures, prefix + "stderr", expect.expectedError(), expect.excludedError(), exec.stderr());
        regexes(failures, prefix + "stdout", expect.expectedOutput(), expect.excludedOutput(), exec.stdout());
        if (expect.exitCode() != exec.exitCode()) {
            failures.add(new Failure(prefix + "exit code", String.valueOf(expect.exitCode()),
                    String.valueOf(exec.exitCode())));
        }
        return failures;
    }

    private static void regexes(List<Failure> failures, String what, List<String> expected, List<String> excluded,
                                String text) {
        for (String regex : expected) {
            if (!GoSemantics.matches(regex, text)) {
                failures.add(new Failure(what, "to match '" + regex + "'", quote(text)));
            }
        }
        for (String regex : excluded) {
            if (GoSemantics.matches(regex, text)) {
                failures.add(new Failure(what, "not to match '" + regex + "'", quote(text)));
            }
        }
    }

    private List<Failure> fileExistence(Suite.FileExistenceTest t, ImageUnderTest image,
                                        Function<String, String> imageEnv) {
        List<Failure> failures = new ArrayList<>();
        String path = GoSemantics.expand(t.path(), imageEnv);
        Optional<FileEntry> found = image.stat(path);
        if (found.isEmpty()) {
            if (t.shouldExist()) {
                failures.add(new Failure(path, "to exist", "no such file"));
            }
            return failures;
        }
        FileEntry entry = found.get();
        String mode = entry.modeString();
        if (!t.shouldExist()) {
            failures.add(new Failure(path, "not to exist", "exists (" + mode + ")"));
        }
        if (t.permissions() != null && !t.permissions().isEmpty() && !t.permissions().equals(mode)) {
            failures.add(new Failure(path + " permissions", t.permissions(), mode));
        }
        if (t.isExecutableBy() != null) {
            int bits = switch (t.isExecutableBy()) {
                case "owner" -> 0100;
                case "group" -> 0010;
                case "other" -> 0001;
                default -> 0111;
            };
            if ((entry.mode() & bits) == 0) {
                failures.add(new Failure(path + " executable by " + t.isExecutableBy(), "an x bit", mode));
            }
        }
        if (t.uid() != null && t.uid() != entry.uid()) {
            failures.add(new Failure(path + " owner uid", String.valueOf(t.uid()), String.valueOf(entry.uid())));
        }
        if (t.gid() != null && t.gid() != entry.gid()) {
            failures.add(new Failure(path + " group gid", String.valueOf(t.gid()), String.valueOf(entry.gid())));
        }
        return failures;
    }

    private List<Failure> fileContent(Suite.FileContentTest t, ImageUnderTest image,
                                      Function<String, String> imageEnv) {
        String path = GoSemantics.expand(t.path(), imageEnv);
        Optional<byte[]> content = image.read(path);
        List<Failure> failures = new ArrayList<>();
        if (content.isEmpty()) {
            failures.add(new Failure(path, "a readable file", "no such file (or not a file)"));
            return failures;
        }
        regexes(failures, path + " content", t.expectedContents(), t.excludedContents(),
                new String(content.get(), StandardCharsets.UTF_8));
        return failures;
    }

    private List<Failure> metadata(Suite.MetadataTest t, Config config) {
        List<Failure> failures = new ArrayList<>();
        pairs(failures, "env var", t.envVars(), config.env());
        for (String key : t.unboundEnvVars()) {
            if (config.env().containsKey(key)) {
                failures.add(new Failure("env var " + key, "not to be set", "set"));
            }
        }
        pairs(failures, "label", t.labels(), config.labels());
        exact(failures, "cmd", t.cmd(), config.cmd());
        exact(failures, "entrypoint", t.entrypoint(), config.entrypoint());
        if (t.workdir() != null && !t.workdir().isEmpty() && !t.workdir().equals(config.workdir())) {
            failures.add(new Failure("workdir", t.workdir(), quote(config.workdir())));
        }
        List<String> ports = config.exposedPorts().stream().flatMap(p -> Stream.of(p, p.replaceFirst("/.*$", "")))
                .toList();
        members(failures, "exposed port", t.exposedPorts(), t.unexposedPorts(), ports);
        members(failures, "volume", t.volumes(), t.unmountedVolumes(), config.volumes());
        if (t.user() != null && !t.user().isEmpty() && !t.user().equals(config.user())) {
            failures.add(new Failure("user", t.user(), quote(config.user())));
        }
        return failures;
    }

    private static void pairs(List<Failure> failures, String what, List<EnvVar> expected, Map<String, String> actual) {
        for (EnvVar pair : expected) {
            String value = actual.get(pair.key());
            String expectation = (pair.isRegex() ? "to match " : "") + quote(pair.value());
            if (value == null) {
                failures.add(new Failure(what + " " + pair.key(), expectation, "not set"));
            } else if (pair.isRegex() ? !GoSemantics.matches(pair.value(), value) : !pair.value().equals(value)) {
                failures.add(new Failure(what + " " + pair.key(), expectation, quote(value)));
            }
        }
    }

    private static void exact(List<Failure> failures, String what, List<String> expected, List<String> actual) {
        if (expected != null && !expected.equals(actual)) {
            failures.add(new Failure(what, expected.toString(), actual.toString()));
        }
    }

    private static void members(List<Failure> failures, String what, List<String> present, List<String> absent,
                                List<String> actual) {
        for (String value : present) {
            if (!actual.contains(value)) {
                failures.add(new Failure(what + " " + value, "present", "absent from " + actual));
            }
        }
        for (String value : absent) {
            if (actual.contains(value)) {
                failures.add(new Failure(what + " " + value, "absent", "present"));
            }
        }
    }

    private List<Failure> license(Suite.LicenseTest t, ImageUnderTest image) {
        List<Failure> failures = new ArrayList<>();
        List<String> files = new ArrayList<>();
        if (t.debian()) {
            if (image.stat(DEBIAN_DOCS).isEmpty()) {
                failures.add(new Failure(DEBIAN_DOCS, "a directory of package copyright files", "no such directory"));
                return failures;
            }
            image.walk().stream()
                    .filter(e -> e.type() == GoSemantics.FileType.DIRECTORY && parent(e.path()).equals(DEBIAN_DOCS))
                    .filter(e -> !LICENSE_ALLOWED_PACKAGES.contains(e.path().substring(DEBIAN_DOCS.length() + 1)))
                    .forEach(e -> files.add(e.path() + "/copyright"));
        }
        files.addAll(t.files());
        for (String file : files) {
            Optional<byte[]> content = image.read(file);
            if (content.isEmpty()) {
                failures.add(new Failure("license file " + file, "readable", "no such file"));
                continue;
            }
            String text = new String(content.get(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
            BANNED_LICENSES.stream().filter(text::contains).forEach(banned ->
                    failures.add(new Failure("license file " + file, "no " + String.join(" or ", BANNED_LICENSES),
                            "contains " + banned)));
        }
        return failures;
    }

    private void service(Suite.ServiceTest t, Suite suite, ImageUnderTest image, Function<String, String> imageEnv,
                         Cases cases) {
        String prefix = "Service Test: " + t.name() + " › ";
        String portCase = prefix + "port " + t.port() + " listening";
        if (cases.budgetSpent()) {
            cases.notRun(portCase);
            t.http().forEach(check -> cases.notRun(prefix + check.method() + " " + check.path()));
            t.commands().forEach(command -> cases.notRun(prefix + command.name()));
            return;
        }
        String clamped = t.requestedStartupTimeout() == null ? "" : "startupTimeout "
                + shown(t.requestedStartupTimeout()) + " is above this tester's maximum; clamped to "
                + shown(t.startupTimeout()) + "\n";
        try (ImageUnderTest.Service service = image.start(env(t.envVars(), imageEnv), t.cmd(), suite.runOptions())) {
            Duration wait = cases.budget.cap(t.startupTimeout());
            TestCase listening = cases.timed(portCase, suite.severity(), () -> service.awaitPort(t.port(), wait)
                    ? new Checked(List.of(), clamped)
                    : new Checked(List.of(new Failure("port " + t.port(), "listening within " + wait.toMillis()
                    + " ms", "not listening")), clamped + service.logs()));
            boolean up = listening.failures().isEmpty();
            Consumer<String> notUp = name -> {
                if (listening.status() == SuiteReport.Status.SKIPPED) {
                    cases.notRun(name);
                } else {
                    cases.add(TestCase.skipped(name, "port " + t.port() + " never listened"));
                }
            };
            for (Suite.HttpCheck check : t.http()) {
                String name = prefix + check.method() + " " + check.path();
                if (up) {
                    cases.timed(name, suite.severity(), () -> http(check, t.port(), service,
                            cases.budget.cap(testTimeout)));
                } else {
                    notUp.accept(name);
                }
            }
            for (Suite.ServiceCommand command : t.commands()) {
                String name = prefix + command.name();
                if (up) {
                    cases.timed(name, suite.severity(), () -> {
                        Duration deadline = cases.budget.cap(testTimeout);
                        Exec exec = service.exec(command.argv().stream().map(a -> GoSemantics.expand(a, imageEnv))
                                .toList(), deadline);
                        return new Checked(output("", command.expect(), exec, deadline), shown(exec));
                    });
                } else {
                    notUp.accept(name);
                }
            }
        }
    }

    private Checked http(Suite.HttpCheck check, int port, ImageUnderTest.Service service, Duration deadline) {
        ImageUnderTest.HttpAnswer answer = service.http(port, check.method(), check.path(), check.headers(), deadline);
        List<Failure> failures = new ArrayList<>();
        if (answer.status() < 0) {
            failures.add(new Failure("HTTP answer", "status " + check.expectedStatus(), answer.body()));
            return new Checked(failures, "");
        }
        if (answer.status() != check.expectedStatus()) {
            failures.add(new Failure("HTTP status", String.valueOf(check.expectedStatus()),
                    String.valueOf(answer.status())));
        }
        regexes(failures, "HTTP body", check.expectedBody(), check.excludedBody(), answer.body());
        return new Checked(failures, answer.body());
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /**
     * The cases of one suite as they run. Once the run's budget is spent, each further case is skipped, and the
     * suite ends with one failing case that says how many did not run.
     */
    private static final class Cases {
        private final SuiteBudget budget;
        private final List<TestCase> cases = new ArrayList<>();
        private int notRunCount;

        Cases(SuiteBudget budget) {
            this.budget = budget;
        }

        boolean budgetSpent() {
            return budget.spent();
        }

        void add(TestCase testCase) {
            cases.add(testCase);
        }

        /** Records {@code name} as skipped because the budget is spent. */
        void notRun(String name) {
            notRunCount++;
            cases.add(TestCase.skipped(name, "the run's suites used up their time limit of " + shown(budget.total())));
        }

        TestCase timed(String name, Severity severity, Supplier<Checked> check) {
            if (budget.spent()) {
                notRun(name);
                return cases.get(cases.size() - 1);
            }
            long start = System.nanoTime();
            Checked checked = check.get();
            TestCase done = TestCase.of(name, severity, checked.failures(), millisSince(start), checked.output());
            cases.add(done);
            return done;
        }

        List<TestCase> done() {
            if (notRunCount > 0) {
                cases.add(TestCase.of("Suite time limit", Severity.FAIL, List.of(new Failure("suite time",
                        "every test to run within " + shown(budget.total()), notRunCount + " test(s) not run")), 0, ""));
            }
            return List.copyOf(cases);
        }
    }

    /** A duration as suites write it: {@code 100h}, {@code 1m30s}, {@code 500ms}. */
    static String shown(Duration duration) {
        StringBuilder text = new StringBuilder();
        append(text, duration.toHours(), "h");
        append(text, duration.toMinutesPart(), "m");
        append(text, duration.toSecondsPart(), "s");
        append(text, duration.toMillisPart(), "ms");
        return text.isEmpty() ? "0s" : text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String shown(Exec exec) {
        String out = exec.stdout() + (exec.stderr().isEmpty() ? "" : "\n[stderr]\n" + exec.stderr());
        return out.length() <= 64 * 1024 ? out : out.substring(0, 64 * 1024) + "…";
    }

    /** A value as failure messages show it: quoted, and shortened past {@value #MAX_SHOWN} characters. */
    static String quote(String text) {
        String value = Objects.requireNonNullElse(text, "");
        return "'" + (value.length() <= MAX_SHOWN ? value : value.substring(0, MAX_SHOWN) + "… ("
                + value.length() + " characters)") + "'";
    }

    private record Checked(List<Failure> failures, String output) {
    }
}

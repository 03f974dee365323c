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

    /** {@code testTimeout} is the deadline of each command, HTTP request and exec. */
    public StructureTests(Duration testTimeout) {
        this.testTimeout = testTimeout;
    }

    public SuiteReport run(Suite suite, ImageUnderTest image) {
        long start = System.nanoTime();
        Config config = image.config();
        Function<String, String> imageEnv = config.env()::get;
        List<TestCase> cases = new ArrayList<>();
        Severity severity = suite.severity();
        for (Suite.CommandTest t : suite.commandTests()) {
            cases.add(timed("Command Test: " + t.name(), severity, () -> {
                List<String> env = env(Stream.concat(suite.globalEnvVars().stream(), t.envVars().stream()).toList(),
                        imageEnv);
                List<String> argv = t.argv().stream().map(a -> GoSemantics.expand(a, imageEnv)).toList();
                Exec exec = image.run(t.setup(), env, argv, suite.runOptions(), testTimeout);
                return new Checked(output("", t.expect(), exec), shown(exec));
            }));
        }
        for (Suite.FileExistenceTest t : suite.fileExistenceTests()) {
            cases.add(timed("File Existence Test: " + t.name(), severity,
                    () -> new Checked(fileExistence(t, image, imageEnv), "")));
        }
        for (Suite.FileContentTest t : suite.fileContentTests()) {
            cases.add(timed("File Content Test: " + t.name(), severity,
                    () -> new Checked(fileContent(t, image, imageEnv), "")));
        }
        if (suite.metadataTest() != null) {
            cases.add(timed("Metadata Test", severity, () -> new Checked(metadata(suite.metadataTest(), config), "")));
        }
        for (Suite.LicenseTest t : suite.licenseTests()) {
            cases.add(timed("License Test", severity, () -> new Checked(license(t, image), "")));
        }
        for (Suite.ServiceTest t : suite.serviceTests()) {
            cases.addAll(service(t, suite, image, imageEnv));
        }
        return new SuiteReport(suite.name(), suite.origin(), List.copyOf(cases), millisSince(start));
    }

    private List<String> env(List<EnvVar> vars, Function<String, String> imageEnv) {
        return vars.stream().map(v -> v.key() + "=" + GoSemantics.expand(v.value(), imageEnv)).toList();
    }

    /** Upstream's order: expectedError, excludedError, expectedOutput, excludedOutput, exit code. */
    private List<Failure> output(String prefix, OutputExpectations expect, Exec exec) {
        List<Failure> failures = new ArrayList<>();
        if (exec.timedOut()) {
            failures.add(new Failure(prefix + "deadline", "to finish within " + testTimeout.toSeconds() + "s",
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

    private List<TestCase> service(Suite.ServiceTest t, Suite suite, ImageUnderTest image,
                                   Function<String, String> imageEnv) {
        List<TestCase> cases = new ArrayList<>();
        String prefix = "Service Test: " + t.name() + " › ";
        try (ImageUnderTest.Service service = image.start(env(t.envVars(), imageEnv), t.cmd(), suite.runOptions())) {
            String portCase = prefix + "port " + t.port() + " listening";
            TestCase listening = timed(portCase, suite.severity(), () -> service.awaitPort(t.port(), t.startupTimeout())
                    ? new Checked(List.of(), "")
                    : new Checked(List.of(new Failure("port " + t.port(), "listening within "
                    + t.startupTimeout().toMillis() + " ms", "not listening")), service.logs()));
            cases.add(listening);
            boolean up = listening.failures().isEmpty();
            for (Suite.HttpCheck check : t.http()) {
                String name = prefix + check.method() + " " + check.path();
                cases.add(up ? timed(name, suite.severity(), () -> http(check, t.port(), service))
                        : TestCase.skipped(name, "port " + t.port() + " never listened"));
            }
            for (Suite.ServiceCommand command : t.commands()) {
                String name = prefix + command.name();
                cases.add(up ? timed(name, suite.severity(), () -> {
                    Exec exec = service.exec(command.argv().stream().map(a -> GoSemantics.expand(a, imageEnv)).toList(),
                            testTimeout);
                    return new Checked(output("", command.expect(), exec), shown(exec));
                }) : TestCase.skipped(name, "port " + t.port() + " never listened"));
            }
        }
        return cases;
    }

    private Checked http(Suite.HttpCheck check, int port, ImageUnderTest.Service service) {
        ImageUnderTest.HttpAnswer answer = service.http(port, check.method(), check.path(), check.headers(), testTimeout);
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

    private static TestCase timed(String name, Severity severity, Supplier<Checked> check) {
        long start = System.nanoTime();
        Checked checked = check.get();
        return TestCase.of(name, severity, checked.failures(), millisSince(start), checked.output());
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

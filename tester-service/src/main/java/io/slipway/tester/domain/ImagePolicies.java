package io.slipway.tester.domain;

import io.slipway.tester.domain.ImageUnderTest.Config;
import io.slipway.tester.domain.ImageUnderTest.FileEntry;
import io.slipway.tester.domain.SuiteReport.Failure;
import io.slipway.tester.domain.SuiteReport.TestCase;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The provider's built-in image policies, after the CIS Docker Benchmark §4 (container images): the image runs as a
 * non-root user (4.1), has a HEALTHCHECK (4.6), no setuid/setgid files (4.8) and no secret-looking environment
 * variables (4.10). Each policy has its own severity; {@code OFF} skips it.
 */
public final class ImagePolicies {

    /** The name of the built-in policy suite in reports. */
    public static final String SUITE = "builtin:cis-docker-benchmark-4";
    private static final int MAX_FILES_LISTED = 20;

    /** Severity of each policy and the RE2 regex (case-insensitive) of secret-looking variable names. */
    public record Settings(Severity nonRootUser, Severity healthcheck, Severity noSetuidSetgid, Severity noSecretEnv,
                           String secretEnvNames) {
        public Settings {
            GoSemantics.compile(secretEnvNames);
        }
    }

    private final Settings settings;

    public ImagePolicies(Settings settings) {
        this.settings = settings;
    }

    public SuiteReport run(ImageUnderTest image) {
        long start = System.nanoTime();
        Config config = image.config();
        List<TestCase> cases = new ArrayList<>();
        check(cases, "CIS 4.1 runs as a non-root user", settings.nonRootUser(), () -> nonRootUser(config));
        check(cases, "CIS 4.6 has a HEALTHCHECK", settings.healthcheck(), () -> healthcheck(config));
        check(cases, "CIS 4.8 no setuid/setgid files", settings.noSetuidSetgid(), () -> specialBits(image.walk()));
        check(cases, "CIS 4.10 no secrets in environment variables", settings.noSecretEnv(), () -> secretEnv(config));
        return new SuiteReport(SUITE, Origin.PROVIDER, List.copyOf(cases), (System.nanoTime() - start) / 1_000_000);
    }

    private void check(List<TestCase> cases, String name, Severity severity,
                       Supplier<List<Failure>> policy) {
        if (severity == Severity.OFF) {
            return;
        }
        long start = System.nanoTime();
        cases.add(TestCase.of(name, severity, policy.get(), (System.nanoTime() - start) / 1_000_000, ""));
    }

    private static List<Failure> nonRootUser(Config config) {
        String user = config.user() == null ? "" : config.user().trim();
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (name.isEmpty() || name.equals("root") || name.matches("0+")) {
            return List.of(new Failure("USER", "a non-root user", user.isEmpty() ? "none set (runs as root)" : user));
        }
        return List.of();
    }

    private static List<Failure> healthcheck(Config config) {
        List<String> test = config.healthcheck();
        if (test == null || test.isEmpty() || "NONE".equals(test.get(0))) {
            return List.of(new Failure("HEALTHCHECK", "an instruction", test == null || test.isEmpty() ? "none" : "NONE"));
        }
        return List.of();
    }

    private List<Failure> secretEnv(Config config) {
        List<Failure> failures = new ArrayList<>();
        config.env().forEach((key, value) -> {
            if (!value.isEmpty() && GoSemantics.matches("(?i)" + settings.secretEnvNames(), key)) {
                failures.add(new Failure("ENV " + key, "no secret-looking variable", "set (value not shown)"));
            }
        });
        return failures;
    }

    static List<Failure> specialBits(List<FileEntry> entries) {
        List<FileEntry> flagged = entries.stream()
                .filter(e -> e.type() == GoSemantics.FileType.FILE && (e.mode() & 06000) != 0).toList();
        List<Failure> failures = new ArrayList<>();
        flagged.stream().limit(MAX_FILES_LISTED).forEach(e ->
                failures.add(new Failure(e.path(), "no setuid/setgid bit", e.modeString())));
        if (flagged.size() > MAX_FILES_LISTED) {
            failures.add(new Failure("more files", "none", (flagged.size() - MAX_FILES_LISTED) + " more"));
        }
        return failures;
    }
}

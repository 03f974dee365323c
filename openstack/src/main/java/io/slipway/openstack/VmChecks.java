package io.slipway.openstack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs a {@link VmCheck} through a {@link GuestShell} with plain tools ({@code stat}, {@code cat} of files and of
 * Linux's {@code /proc/net/tcp}, {@code curl}) and judges the answer here, so the rules are the same wherever the
 * shell is.
 */
final class VmChecks {

    private static final int MAX_OUTPUT = 2000;

    private VmChecks() {
    }

    static VmCheckResult run(VmCheck check, GuestShell shell, Clock clock) {
        Instant started = clock.instant();
        List<String> problems = new ArrayList<>();
        GuestShell.Result result;
        if (check instanceof VmCheck.Command command) {
            result = shell.run(command.command().stream().map(GuestShell::quote).collect(Collectors.joining(" ")));
            int expected = command.exitCode() == null ? 0 : command.exitCode();
            if (result.exitCode() != expected) {
                problems.add("exit code " + result.exitCode() + ", expected " + expected);
            }
            match(problems, "stdout", result.stdout(), command.expectedOutput(), command.excludedOutput());
            match(problems, "stderr", result.stderr(), command.expectedError(), command.excludedError());
        } else if (check instanceof VmCheck.FileExists file) {
            result = shell.run("stat -c %A -- " + GuestShell.quote(file.path()));
            boolean exists = result.exitCode() == 0;
            if (exists != file.shouldExist()) {
                problems.add(file.path() + (exists ? " exists" : " does not exist"));
            } else if (exists && file.permissions() != null && !file.permissions().equals(result.stdout().strip())) {
                problems.add(file.path() + " has permissions " + result.stdout().strip() + ", expected "
                        + file.permissions());
            }
        } else if (check instanceof VmCheck.FileContent file) {
            result = shell.run("cat -- " + GuestShell.quote(file.path()));
            if (result.exitCode() != 0) {
                problems.add(file.path() + " cannot be read");
            } else {
                match(problems, file.path(), result.stdout(), file.expectedContents(), file.excludedContents());
            }
        } else if (check instanceof VmCheck.PortListening port) {
            result = shell.run("cat /proc/net/tcp /proc/net/tcp6 2>/dev/null");
            if (!listening(result.stdout(), port.port())) {
                problems.add("nothing listens on TCP port " + port.port());
            }
        } else {
            VmCheck.HttpResponds http = (VmCheck.HttpResponds) check;
            result = shell.run("curl -s -o /dev/null --max-time 30 -w '%{http_code}' " + GuestShell.quote(http.url()));
            if (!result.stdout().strip().equals(String.valueOf(http.status()))) {
                problems.add(http.url() + " answered " + result.stdout().strip() + ", expected " + http.status());
            }
        }
        String detail = problems.isEmpty() ? "passed" : String.join("; ", problems)
                + "\n--- stdout\n" + bounded(result.stdout()) + "\n--- stderr\n" + bounded(result.stderr());
        return new VmCheckResult(check.name(), problems.isEmpty(), detail, Duration.between(started, clock.instant()));
    }

    /** Whether a /proc/net/tcp{,6} table has a socket in state 0A (LISTEN) on local port {@code port} (hex after ':'). */
    static boolean listening(String procNetTcp, int port) {
        String hexPort = ":%04X".formatted(port);
        return procNetTcp.lines().map(line -> line.trim().split("\\s+"))
                .anyMatch(columns -> columns.length > 3 && columns[1].endsWith(hexPort) && columns[3].equals("0A"));
    }

    private static void match(List<String> problems, String what, String text, List<String> expected,
                              List<String> excluded) {
        expected.stream().filter(regex -> !Pattern.compile(regex).matcher(text).find())
                .forEach(regex -> problems.add(what + " does not match " + regex));
        excluded.stream().filter(regex -> Pattern.compile(regex).matcher(text).find())
                .forEach(regex -> problems.add(what + " matches excluded " + regex));
    }

    private static String bounded(String text) {
        return text.length() <= MAX_OUTPUT ? text : text.substring(0, MAX_OUTPUT) + "...";
    }
}

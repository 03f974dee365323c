package io.slipway.devstack.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent-client scripts in {@code devstack/src/test/python} with Debian's {@code /usr/bin/python3},
 * which carries Confluent's Python client; fails (never skips) when that interpreter or its modules are missing.
 */
public final class PythonScripts {

    public static final String PYTHON = "/usr/bin/python3";
    private static final String INSTALL_HINT = "install them with: apt-get install -y python3-confluent-kafka python3-avro python3-requests";

    /** What a script printed and how it ended. */
    public record Result(int exitCode, List<String> stdout, String stderr) {
    }

    private PythonScripts() {
    }

    /** The script's path, found from the devstack module directory or the repository root. */
    public static Path script(String name) {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("src/test/python").resolve(name), dir.resolve("devstack/src/test/python").resolve(name))) {
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("Python script " + name + " not found above " + System.getProperty("user.dir"));
    }

    /** Fails with an installation hint unless /usr/bin/python3 can import confluent_kafka, avro and requests. */
    public static void requireConfluentPython() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new AssertionError(PYTHON + " is missing; " + INSTALL_HINT);
        }
        Result check = run(List.of(PYTHON, "-c", "import confluent_kafka.schema_registry, avro.io, avro.schema, requests"));
        if (check.exitCode() != 0) {
            throw new AssertionError(PYTHON + " lacks confluent_kafka, avro or requests (" + check.stderr().strip() + "); " + INSTALL_HINT);
        }
    }

    /** Runs {@code /usr/bin/python3 <script> args...} and waits up to two minutes. */
    public static Result runScript(String name, String... args) {
        requireConfluentPython();
        List<String> command = new ArrayList<>(List.of(PYTHON, script(name).toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(List<String> command) {
        try {
            Path stderr = Files.createTempFile("python-stderr", ".txt");
            try {
                Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
                process.getOutputStream().close();
                String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("Timed out: " + command);
                }
                return new Result(process.exitValue(), stdout.lines().toList(), Files.readString(stderr));
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new AssertionError("Cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted running " + command, e);
        }
    }
}

package io.slipway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program as a user would from a shell, to its end within a time limit: its combined output is the result,
 * and a non-zero exit or an overrun fails the test with that output.
 */
final class Commands {

    private Commands() {
    }

    static String run(Path dir, Map<String, String> env, Duration timeout, String... command) {
        try {
            Path output = Files.createTempFile("e2e-command", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                builder.environment().putAll(env);
                Process process = builder.start();
                boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    process.destroyForcibly();
                }
                String text = Files.readString(output);
                if (!ended || process.exitValue() != 0) {
                    throw new AssertionError(List.of(command) + (ended ? " exited with " + process.exitValue()
                            : " did not end within " + timeout) + ":\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + List.of(command), e);
        }
    }
}

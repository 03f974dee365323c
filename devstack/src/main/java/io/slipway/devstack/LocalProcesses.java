package io.slipway.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the throwaway servers of this module ({@link PostgresServer}, {@link DockerDaemon}) share: running a command to
 * its end with its output in the error, a free loopback port, and deleting their directory.
 */
final class LocalProcesses {

    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private LocalProcesses() {
    }

    /**
     * Runs {@code command} in {@code dir} and waits for it; errors name {@code shown} (the command as the reader knows
     * it) and carry its output.
     *
     * @throws IllegalStateException when it exits non-zero or runs longer than two minutes
     */
    static void run(List<String> command, List<String> shown, Path dir) {
        String name = String.join(" ", shown);
        Path output = dir.resolve("command-" + UUID.randomUUID() + ".out");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": "
                        + Files.readString(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // The directory goes when its server closes.
            }
        }
    }

    /** A port that was free on the loopback interface a moment ago. */
    /**
     * Runs {@code command} where its failure is not an error (cleaning up what may already be gone): output discarded,
     * waits at most as long as {@link #run}; whether it exited 0.
     */
    static boolean attempt(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}

package io.slipway.deployer.adapter.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a Kustomize directory with {@code kubectl kustomize <dir>} (Debian's {@code kubernetes-client}), so a
 * deployment repository is never pushed in a state Argo CD or Flux could not apply. Output goes to files, not pipes,
 * so a large rendering cannot block the tool.
 */
final class KustomizeRender {

    /** What the tool printed and how it ended; {@code exitCode} -1 when it did not end in time or did not start. */
    record Result(int exitCode, String output, String errors) {
        boolean rendered() {
            return exitCode == 0;
        }
    }

    private static final int MAX_EXCERPT = 4000;

    private final List<String> command;
    private final Duration timeout;

    KustomizeRender(List<String> command, Duration timeout) {
        this.command = List.copyOf(command);
        this.timeout = timeout;
    }

    /** Renders {@code directory}; a tool that is missing or hangs is a result that did not render, never a hang. */
    Result render(Path directory) throws IOException {
        Path out = Files.createTempFile("slipway-kustomize", ".out");
        Path err = Files.createTempFile("slipway-kustomize", ".err");
        try {
            List<String> argv = new ArrayList<>(command);
            argv.add(directory.toString());
            Process process;
            try {
                process = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                return new Result(-1, "", String.join(" ", command) + " could not be started: " + e.getMessage());
            }
            boolean ended;
            try {
                ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while rendering " + directory, e);
            }
            if (!ended) {
                process.destroyForcibly();
                return new Result(-1, "", String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    tail(Files.readString(err, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String tail(String text) {
        return text.length() <= MAX_EXCERPT ? text : text.substring(text.length() - MAX_EXCERPT);
    }
}

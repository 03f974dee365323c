package io.slipway.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Base images for tests that need a Docker engine. Nothing can be pulled from a public registry here, so the
 * base is built locally {@code FROM scratch} with Debian's static busybox ({@code busybox-static}).
 */
public final class DockerTestImages {

    /** A busybox image with /bin/sh and the usual applets, built once per machine. */
    public static final String BUSYBOX = "slipway-test/busybox:1";

    private DockerTestImages() {
    }

    /** Builds {@link #BUSYBOX} unless the engine already has it; fails with what to install when it cannot. */
    public static synchronized String busybox() {
        if (run(List.of("docker", "image", "inspect", BUSYBOX)) == 0) {
            return BUSYBOX;
        }
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IllegalStateException("/bin/busybox is missing: apt-get install busybox-static");
        }
        try {
            Path context = Files.createTempDirectory("busybox-image");
            Files.copy(busybox, context.resolve("busybox"));
            Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                    "FROM scratch",
                    "COPY busybox /bin/busybox",
                    "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]",
                    "CMD [\"/bin/sh\"]", ""), StandardCharsets.UTF_8);
            int exit = run(List.of("docker", "build", "-q", "-t", BUSYBOX, context.toString()));
            if (exit != 0) {
                throw new IllegalStateException("docker build of " + BUSYBOX + " failed (exit " + exit
                        + "); is dockerd running?");
            }
            return BUSYBOX;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

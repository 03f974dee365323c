package io.slipway.tester.domain;

import io.slipway.tester.domain.GoSemantics.FileType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pulled image, as the suites see it: its configuration, its filesystem, and containers started from exactly
 * its digest under the tester's isolation. Closing it removes every container and intermediate image it created.
 * Implementations throw the common {@code TransientFailure} when the engine cannot be reached.
 */
public interface ImageUnderTest extends AutoCloseable {

    /** The image configuration (what {@code docker image inspect} shows under {@code Config}). */
    Config config();

    /**
     * Runs each setup command in a container committed as the next base, then {@code argv} with the entrypoint
     * overridden, without network, and returns its exit code and output; kills it at the deadline.
     */
    Exec run(List<List<String>> setup, List<String> env, List<String> argv, Suite.RunOptions options,
             Duration deadline);

    /** The entry at {@code path} (not following a final symlink), or empty when there is none. */
    Optional<FileEntry> stat(String path);

    /** The content of the regular file at {@code path}, following symlinks; empty when there is no such file. */
    Optional<byte[]> read(String path);

    /** Every entry of the image's filesystem, for policies that look for files (content not included). */
    List<FileEntry> walk();

    /** Starts the image with its own entrypoint ({@code cmd} replaces its CMD unless null) on a bridge network. */
    Service start(List<String> env, List<String> cmd, Suite.RunOptions options);

    /**
     * Stops the testing of this image from another thread: every container it runs is removed and no new one starts,
     * so whatever a suite was doing ends at once, with an error. Closing it is still the caller's.
     */
    void abort();

    @Override
    void close();

    /** A container of the image that keeps running until closed. */
    interface Service extends AutoCloseable {

        /** Waits until {@code port} accepts TCP connections; false when the deadline passed or the container exited. */
        boolean awaitPort(int port, Duration deadline);

        /** Sends an HTTP request to the container's {@code port}; a transport error is an {@code HttpAnswer} with status -1. */
        HttpAnswer http(int port, String method, String path, Map<String, String> headers, Duration deadline);

        /** {@code docker exec} of {@code argv} in the running container. */
        Exec exec(List<String> argv, Duration deadline);

        /** The container's output so far, bounded, for failure reports. */
        String logs();

        @Override
        void close();
    }

    /** Image configuration; {@code entrypoint}/{@code cmd} are empty lists when unset; {@code healthcheck} may be null. */
    record Config(Map<String, String> env, Map<String, String> labels, List<String> exposedPorts, List<String> volumes,
                  List<String> entrypoint, List<String> cmd, String workdir, String user, List<String> healthcheck) {
    }

    /** A file of the image: type, permission bits incl. setuid/setgid/sticky, owner, and symlink target. */
    record FileEntry(String path, FileType type, int mode, int uid, int gid, String linkName) {
        public String modeString() {
            return GoSemantics.modeString(type, mode);
        }
    }

    /** How a command ended; {@code timedOut} means it was killed at its deadline. */
    record Exec(int exitCode, String stdout, String stderr, boolean timedOut) {
    }

    /** An HTTP answer; {@code status} is -1 when no answer came, with the reason in {@code body}. */
    record HttpAnswer(int status, String body) {
    }
}

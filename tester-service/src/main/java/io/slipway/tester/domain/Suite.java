package io.slipway.tester.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One parsed suite file: Google container-structure-test (schemaVersion 1.0.0 or 2.0.0) plus Slipway's
 * {@code serviceTests} and {@code severity} extensions. Lists are never null; a null {@code metadataTest} means the
 * file has none.
 */
public record Suite(String name, Origin origin, Severity severity, String schemaVersion, List<EnvVar> globalEnvVars,
                    RunOptions runOptions, List<CommandTest> commandTests, List<FileExistenceTest> fileExistenceTests,
                    List<FileContentTest> fileContentTests, MetadataTest metadataTest, List<LicenseTest> licenseTests,
                    List<ServiceTest> serviceTests) {

    /** {@code key}/{@code value}; {@code isRegex} only matters in metadata tests. */
    public record EnvVar(String key, String value, boolean isRegex) {
    }

    /** The {@code containerRunOptions} Slipway honours: the user to run as and whether to allocate a TTY. */
    public record RunOptions(String user, boolean tty) {
        public static final RunOptions DEFAULT = new RunOptions(null, false);
    }

    /** What a finished command must have produced; regexes are RE2, matched anywhere in the stream. */
    public record OutputExpectations(List<String> expectedOutput, List<String> excludedOutput,
                                     List<String> expectedError, List<String> excludedError, int exitCode) {
    }

    /** A command run in a fresh container of the image, entrypoint overridden, after its setup commands. */
    public record CommandTest(String name, List<List<String>> setup, List<EnvVar> envVars, List<String> argv,
                              OutputExpectations expect) {
    }

    /** {@code shouldExist} defaults to true; null fields are not checked. */
    public record FileExistenceTest(String name, String path, boolean shouldExist, String permissions, Integer uid,
                                    Integer gid, String isExecutableBy) {
    }

    /** Regexes over the whole file content. */
    public record FileContentTest(String name, String path, List<String> expectedContents,
                                  List<String> excludedContents) {
    }

    /** Image configuration checks; null {@code entrypoint}/{@code cmd}/{@code workdir}/{@code user} are not checked. */
    public record MetadataTest(List<EnvVar> envVars, List<String> unboundEnvVars, List<EnvVar> labels,
                               List<String> exposedPorts, List<String> unexposedPorts, List<String> volumes,
                               List<String> unmountedVolumes, List<String> entrypoint, List<String> cmd,
                               String workdir, String user) {
    }

    /** Copyright files checked for the licences upstream refuses (AGPL, WTFPL). */
    public record LicenseTest(boolean debian, List<String> files) {
    }

    /**
     * Slipway extension: the image started with its own entrypoint (or {@code cmd} instead of its CMD) on a bridge
     * network; once {@code port} listens, within {@code startupTimeout}, the HTTP checks and commands run.
     * {@code requestedStartupTimeout} is what the suite asked for when that was above the tester's maximum (and
     * {@code startupTimeout} was clamped to the maximum), else null.
     */
    public record ServiceTest(String name, int port, Duration startupTimeout, Duration requestedStartupTimeout,
                              List<EnvVar> envVars, List<String> cmd, List<HttpCheck> http,
                              List<ServiceCommand> commands) {
    }

    /** One HTTP request to the service and what its answer must be. */
    public record HttpCheck(String method, String path, Map<String, String> headers, int expectedStatus,
                            List<String> expectedBody, List<String> excludedBody) {
    }

    /** A command run inside the running service container ({@code docker exec}). */
    public record ServiceCommand(String name, List<String> argv, OutputExpectations expect) {
    }
}

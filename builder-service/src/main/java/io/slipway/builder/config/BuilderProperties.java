package io.slipway.builder.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * builder-service settings ({@code slipway.builder.*}). Passwords and tokens are secrets: set them from the
 * environment ({@code SLIPWAY_STAGING_REGISTRY_PASSWORD}, {@code SLIPWAY_GIT_PASSWORD}), never in a committed file.
 *
 * @param timeout       the longest a build may run; {@code .slipway.yml} may ask for less
 * @param shutdownGrace how long running builds may go on at shutdown before they are cancelled and handed back
 * @param workdir       mirrors and workspaces live here
 * @param buildArgs     build args passed to every build (e.g. {@code HTTP_PROXY}), masked in logs; named as written
 *                      (raw keys: else Micronaut turns {@code HTTP_PROXY} into {@code http-proxy}, which no Dockerfile
 *                      declares)
 * @param mask          further values to mask in build logs
 * @param logStream     the build log streamed to {@code slipway.logs}
 */
@ConfigurationProperties("slipway.builder")
public record BuilderProperties(@Bindable(defaultValue = "30m") Duration timeout,
                                @Bindable(defaultValue = "25s") Duration shutdownGrace,
                                @Bindable(defaultValue = "/var/tmp/slipway-builder") String workdir,
                                @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT,
                                        keyFormat = StringConvention.RAW) Map<String, String> buildArgs,
                                @Nullable List<String> mask,
                                Docker docker, Registry registry, Git git, CloneUrls cloneUrls,
                                LogStream logStream) {

    /**
     * The build log streamed to {@code slipway.logs} for the dashboard: at most {@code limit} of text per run attempt
     * ({@code 4m}; a size as {@code contextMax}), after which one chunk says it was truncated; {@code flushWait} is
     * the most a build's outcome waits for its last chunks.
     */
    @ConfigurationProperties("log-stream")
    public record LogStream(@Bindable(defaultValue = "4m") String limit,
                            @Bindable(defaultValue = "2s") Duration flushWait) {
    }

    /** The Docker engine and the limits of each build; {@code contextMax} bounds the build context sent to it. */
    @ConfigurationProperties("docker")
    public record Docker(@Bindable(defaultValue = "unix:///var/run/docker.sock") String host,
                         @Bindable(defaultValue = "2g") String memory,
                         @Bindable(defaultValue = "1024") int cpuShares,
                         @Nullable String cpusetCpus,
                         @Bindable(defaultValue = "10m") Duration pushTimeout,
                         @Bindable(defaultValue = "1g") String contextMax) {
    }

    /**
     * The staging registry: images go to {@code <host>/<prefix>/<image>:<sha>}, pushed by the engine to {@code host};
     * this service's own registry calls go to {@code address} when set (the registry as this process reaches it).
     */
    @ConfigurationProperties("registry")
    public record Registry(@Bindable(defaultValue = "127.0.0.1:5000") String host,
                           @Nullable String address,
                           @Bindable(defaultValue = "false") boolean insecure,
                           @Bindable(defaultValue = "staging") String prefix,
                           @Nullable String username,
                           @Nullable String password) {
    }

    /**
     * Fetching from git servers: credentials and the one origin they are sent to ({@code https://host[:port]}),
     * the timeout of each read and the deadline of a whole fetch; mirrors unused for {@code mirrorMaxAge}, and the
     * least recently used beyond {@code mirrorMaxSize} in all ({@code 10g}; 0: no limit), are pruned.
     */
    @ConfigurationProperties("git")
    public record Git(@Nullable String username, @Nullable String password, @Nullable String credentialHost,
                      @Bindable(defaultValue = "5m") Duration timeout,
                      @Bindable(defaultValue = "10m") Duration fetchDeadline,
                      @Bindable(defaultValue = "30d") Duration mirrorMaxAge,
                      @Bindable(defaultValue = "10g") String mirrorMaxSize) {
    }

    /** Which clone URLs may be fetched; the same policy, and the same variables, as trigger-service. */
    @ConfigurationProperties("clone-urls")
    public record CloneUrls(@Bindable(defaultValue = "https") List<String> schemes,
                            @Nullable List<String> allowedHosts,
                            @Bindable(defaultValue = "false") boolean allowFile,
                            @Bindable(defaultValue = "false") boolean allowLoopback,
                            @Bindable(defaultValue = "false") boolean allowPrivate) {
    }
}

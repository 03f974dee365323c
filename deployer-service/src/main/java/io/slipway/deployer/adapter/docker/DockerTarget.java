package io.slipway.deployer.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.slipway.common.yaml.DurationSyntax;
import io.slipway.container.SlipwayLabels;
import io.slipway.deployer.adapter.docker.DockerTargetSettings.PortMapping;
import io.slipway.deployer.domain.Artifact;
import io.slipway.deployer.domain.DeployFailed;
import io.slipway.deployer.domain.DeployRequest;
import io.slipway.deployer.domain.Deployment;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an environment's app on a Docker engine as one named container per repository, from the artifact's digest
 * (never a tag). A deployment pulls, creates the new container as {@code …-next}, stops the old one and renames it
 * {@code …-previous}, gives the new one the name and starts it, and waits for its health (the image's HEALTHCHECK,
 * else an HTTP probe of {@code health.path}, else running without a restart for a few seconds). Healthy: the old
 * container is removed. Not: the new one is removed and the old one takes its name back and starts again. Host ports
 * cannot be bound twice, so the app is down from the old container's stop until the new one answers. A deployment
 * interrupted half-way is undone by {@link #reconcile} before the next one: while {@code …-previous} exists, it is
 * the last good container.
 */
public final class DockerTarget implements DeploymentTarget {

    static final String ENVIRONMENT_LABEL = "io.slipway.environment";
    static final String REPOSITORY_LABEL = "io.slipway.repository";
    static final String DIGEST_LABEL = "io.slipway.digest";
    static final String STAGE = "deployer";

    private static final Logger LOG = LoggerFactory.getLogger(DockerTarget.class);
    private static final int LOG_LINES = 50;
    private static final int STOP_SECONDS = 10;
    private static final Duration STABLE = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final String environment;
    private final DockerTargetSettings settings;
    private final DockerClient docker;
    private final HttpClient http;

    DockerTarget(String environment, DockerTargetSettings settings, DockerClient docker) {
        this.environment = environment;
        this.settings = settings;
        this.docker = docker;
        this.http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Kind kind() {
        return Kind.DOCKER;
    }

    /** The name of the container that serves {@code repository} in this environment. */
    public String containerName(String repository) {
        return ContainerNames.of(environment, repository).current();
    }

    @Override
    public Deployment deploy(DeployRequest request) throws DeployFailed, TargetUnavailable {
        long started = System.nanoTime();
        ContainerNames names = ContainerNames.of(environment, request.repository());
        ping();
        try {
            refuseForeign(names, request.repository());
            reconcile(names, request.repository());
            Artifact artifact = request.artifact();
            Optional<InspectContainerResponse> current = find(names.current());
            if (current.isPresent() && runsHealthy(current.get(), artifact.digest())) {
                LOG.info("{} already runs {} healthy in {}", names.current(), artifact.digest(), environment);
                return done(names, started);
            }
            requireNetwork();
            pull(artifact);
            Optional<HealthCheck> check = healthCheck(artifact.reference());
            String next = create(names, request);
            return swap(names, current.map(InspectContainerResponse::getId), next, check, request, started);
        } catch (RuntimeException e) {
            if (unreachable(e) || e instanceof DockerException) {
                throw new TargetUnavailable("Docker engine " + settings.host() + " failed while deploying "
                        + request.artifact().reference() + " to " + environment + " (" + e.getMessage()
                        + "); the next attempt puts the last good container back first", e);
            }
            throw e;
        }
    }

    /**
     * Undoes what an interrupted deployment of {@code repository} left behind, so the last good container serves
     * under its name and no other container of it remains: a {@code …-next} is removed; while a {@code …-previous}
     * exists the container under the name is the unverified new one, so it is removed and the previous one takes the
     * name back and starts. The deployer may call this at start; {@link #deploy} calls it first.
     */
    public void reconcile(String repository) throws TargetUnavailable {
        ping();
        try {
            reconcile(ContainerNames.of(environment, repository), repository);
        } catch (RuntimeException e) {
            if (unreachable(e) || e instanceof DockerException) {
                throw new TargetUnavailable("Docker engine " + settings.host() + " failed while reconciling "
                        + repository + " in " + environment + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private void reconcile(ContainerNames names, String repository) {
        Optional<InspectContainerResponse> next = find(names.next()).filter(c -> owned(c, repository));
        Optional<InspectContainerResponse> previous = find(names.previous()).filter(c -> owned(c, repository));
        Optional<InspectContainerResponse> current = find(names.current()).filter(c -> owned(c, repository));
        next.ifPresent(c -> {
            LOG.warn("Removing {}, left by an interrupted deployment to {}", names.next(), environment);
            remove(c.getId());
        });
        if (previous.isPresent()) {
            current.ifPresent(c -> {
                LOG.warn("Removing {} ({}), which an interrupted deployment to {} had not found healthy",
                        names.current(), label(c, DIGEST_LABEL), environment);
                remove(c.getId());
            });
            LOG.warn("Restoring {} ({}) in {}", names.current(), label(previous.get(), DIGEST_LABEL), environment);
            docker.renameContainerCmd(previous.get().getId()).withName(names.current()).exec();
            startAgain(previous.get().getId(), names.current());
        } else if (current.isPresent() && !Boolean.TRUE.equals(current.get().getState().getRunning())) {
            startAgain(current.get().getId(), names.current());
        }
    }

    /**
     * Starts the last good container again; when the engine refuses (a host port another process took meanwhile), it
     * stays stopped under its name, the failure is returned, and a deployment may still replace it.
     */
    private Optional<String> startAgain(String id, String name) {
        try {
            start(id);
            return Optional.empty();
        } catch (DockerException e) {
            if (unreachable(e)) {
                throw e;
            }
            LOG.warn("{} in {} could not be started again: {}", name, environment, e.getMessage());
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    private Deployment swap(ContainerNames names, Optional<String> old, String next, Optional<HealthCheck> check,
                            DeployRequest request, long started) throws DeployFailed {
        old.ifPresent(id -> {
            try {
                docker.stopContainerCmd(id).withTimeout(STOP_SECONDS).exec();
            } catch (NotModifiedException e) {
                LOG.debug("{} was already stopped", names.current());
            }
            docker.renameContainerCmd(id).withName(names.previous()).exec();
        });
        docker.renameContainerCmd(next).withName(names.current()).exec();
        Optional<String> failure;
        String reason = "UNHEALTHY";
        try {
            docker.startContainerCmd(next).exec();
            failure = awaitHealthy(next, check);
        } catch (DockerException e) {
            if (unreachable(e)) {
                throw e;
            }
            reason = "START_FAILED";
            failure = Optional.of("did not start: " + e.getMessage());
        }
        if (failure.isEmpty()) {
            old.ifPresent(this::remove);
            LOG.info("{} runs {} in {} (run {})", names.current(), request.artifact().digest(), environment,
                    request.runId());
            return done(names, started);
        }
        String logs = tail(next);
        remove(next);
        String restored = "nothing ran there before";
        if (old.isPresent()) {
            docker.renameContainerCmd(old.get()).withName(names.current()).exec();
            Optional<String> notStarted = startAgain(old.get(), names.current());
            if (notStarted.isPresent()) {
                restored = "the previous container could not start again either: " + notStarted.get();
            } else {
                // "Serves again" is a claim about the app, not the engine: wait for it as for a new container.
                var config = docker.inspectContainerCmd(old.get()).exec().getConfig();
                Optional<String> unwell = awaitHealthy(old.get(),
                        usable(config == null ? null : config.getHealthcheck()));
                restored = unwell.isEmpty() ? "the previous container serves again"
                        : "the previous container started again but " + unwell.get();
            }
        }
        throw new DeployFailed(reason, request.artifact().reference() + " in " + environment + " "
                + failure.get() + "; " + restored, logs);
    }

    private Deployment done(ContainerNames names, long started) {
        return new Deployment(url(names), Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Where the deployer reaches the app, for its smoke checks: on the target's network (where a deployer in a container
     * runs too), {@code http://<container name>:<container port>/} of the first TCP port; otherwise
     * {@code http://<host>:<port>/} of the first published TCP port.
     */
    private Optional<String> url(ContainerNames names) {
        if (settings.network() != null) {
            return settings.firstTcpPort().map(port -> "http://" + names.current() + ":" + port.containerPort() + "/");
        }
        return settings.firstTcpPort().map(port -> "http://" + address(port) + ":" + port.hostPort() + "/");
    }

    private String address(PortMapping port) {
        if (!port.hostIp().isEmpty() && !port.hostIp().equals("0.0.0.0")) {
            return port.hostIp();
        }
        URI host = URI.create(settings.host());
        return "tcp".equals(host.getScheme()) ? host.getHost() : "127.0.0.1";
    }

    private void ping() throws TargetUnavailable {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new TargetUnavailable("Docker engine " + settings.host() + " does not answer: " + e.getMessage()
                    + "; nothing changed in " + environment, e);
        }
    }

    /** The configured network must exist: Docker would otherwise refuse the container with a less useful message. */
    private void requireNetwork() throws DeployFailed {
        if (settings.network() == null) {
            return;
        }
        try {
            docker.inspectNetworkCmd().withNetworkId(settings.network()).exec();
        } catch (NotFoundException e) {
            throw new DeployFailed("CONFIG_INVALID", "the Docker network " + settings.network() + " named by "
                    + environment + "'s target does not exist on " + settings.host() + "; create it (docker network"
                    + " create " + settings.network() + ") or change the environments file", null);
        }
    }

    private void refuseForeign(ContainerNames names, String repository) throws DeployFailed {
        for (String name : List.of(names.current(), names.previous(), names.next())) {
            Optional<InspectContainerResponse> found = find(name);
            if (found.isPresent() && !owned(found.get(), repository)) {
                throw new DeployFailed("CONFIG_INVALID", "a container named " + name + " exists on " + settings.host()
                        + " that Slipway did not make for " + repository + " in " + environment
                        + " (labels " + ENVIRONMENT_LABEL + ", " + REPOSITORY_LABEL + "); remove or rename it", null);
            }
        }
    }

    private boolean owned(InspectContainerResponse container, String repository) {
        return environment.equals(label(container, ENVIRONMENT_LABEL))
                && repository.equals(label(container, REPOSITORY_LABEL));
    }

    private static String label(InspectContainerResponse container, String key) {
        Map<String, String> labels = container.getConfig() == null ? null : container.getConfig().getLabels();
        return labels == null ? null : labels.get(key);
    }

    private Optional<InspectContainerResponse> find(String name) {
        try {
            return Optional.of(docker.inspectContainerCmd(name).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private boolean runsHealthy(InspectContainerResponse container, String digest) {
        var state = container.getState();
        if (!digest.equals(label(container, DIGEST_LABEL)) || !Boolean.TRUE.equals(state.getRunning())
                || Boolean.TRUE.equals(state.getRestarting())) {
            return false;
        }
        HealthCheck check = container.getConfig() == null ? null : container.getConfig().getHealthcheck();
        if (state.getHealth() != null && check != null && check.getTest() != null && !check.getTest().isEmpty()) {
            String status = state.getHealth().getStatus();
            return "healthy".equals(status) || "starting".equals(status) && runCheck(container.getId(), check);
        }
        return settings.healthPath() == null || probe();
    }

    private void pull(Artifact artifact) throws DeployFailed, TargetUnavailable {
        String reference = artifact.reference();
        PullImageCmd pull = docker.pullImageCmd(artifact.registry() + "/" + artifact.repository())
                .withTag(artifact.digest());
        if (settings.registryUsername() != null) {
            pull.withAuthConfig(new AuthConfig().withUsername(settings.registryUsername())
                    .withPassword(settings.registryPassword()).withRegistryAddress(artifact.registry()));
        }
        try (PullImageResultCallback callback = pull.exec(new PullImageResultCallback())) {
            if (!callback.awaitCompletion(PULL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TargetUnavailable("pull of " + reference + " did not finish within "
                        + DurationSyntax.format(PULL_TIMEOUT) + "; nothing changed in " + environment, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnavailable("interrupted while pulling " + reference, e);
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            boolean refused = e instanceof NotFoundException || lower.contains("manifest unknown")
                    || lower.contains("not found") || lower.contains("unauthorized") || lower.contains("denied")
                    || lower.contains("authentication required");
            boolean transientFault = unreachable(e) || e instanceof DockerException d && d.getHttpStatus() >= 500;
            if (transientFault && !refused) {
                throw new TargetUnavailable("the engine could not reach the registry for " + reference + ": "
                        + message + "; nothing changed in " + environment, e);
            }
            throw new DeployFailed("PULL_FAILED", "the engine could not pull " + reference + " for " + environment
                    + (settings.registryUsername() == null ? " (anonymously)" : " as " + settings.registryUsername())
                    + ": " + message, null);
        }
    }

    private Optional<HealthCheck> healthCheck(String reference) {
        var config = docker.inspectImageCmd(reference).exec().getConfig();
        return usable(config == null ? null : config.getHealthcheck());
    }

    /** A HEALTHCHECK that runs something; none, an empty one and {@code NONE} are no check. */
    private static Optional<HealthCheck> usable(HealthCheck check) {
        if (check == null || check.getTest() == null || check.getTest().isEmpty()
                || check.getTest().get(0).equals("NONE")) {
            return Optional.empty();
        }
        return Optional.of(check);
    }

    private String create(ContainerNames names, DeployRequest request) throws DeployFailed {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SlipwayLabels.MANAGED, STAGE);
        labels.put(ENVIRONMENT_LABEL, environment);
        labels.put(REPOSITORY_LABEL, request.repository());
        labels.put(SlipwayLabels.RUN_ID, request.runId());
        labels.put(DIGEST_LABEL, request.artifact().digest());
        labels.put(SlipwayLabels.REVISION, request.commitSha());
        List<PortBinding> bindings = new ArrayList<>();
        List<ExposedPort> exposed = new ArrayList<>();
        for (PortMapping port : settings.ports()) {
            ExposedPort containerPort = new ExposedPort(port.containerPort(), InternetProtocol.parse(port.protocol()));
            exposed.add(containerPort);
            bindings.add(new PortBinding(port.hostIp().isEmpty() ? Ports.Binding.bindPort(port.hostPort())
                    : Ports.Binding.bindIpAndPort(port.hostIp(), port.hostPort()), containerPort));
        }
        HostConfig host = HostConfig.newHostConfig()
                .withPortBindings(bindings)
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m",
                        "max-file", "3")));
        if (settings.network() != null) {
            host.withNetworkMode(settings.network());
        }
        if (!settings.capabilities().isEmpty()) {
            host.withCapAdd(settings.capabilities().stream().map(Capability::valueOf).toArray(Capability[]::new));
        }
        if (settings.memoryBytes() > 0) {
            host.withMemory(settings.memoryBytes()).withMemorySwap(settings.memoryBytes());
        }
        if (settings.nanoCpus() > 0) {
            host.withNanoCPUs(settings.nanoCpus());
        }
        List<String> env = settings.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        try {
            return docker.createContainerCmd(request.artifact().reference()).withName(names.next())
                    .withLabels(labels).withEnv(env).withExposedPorts(exposed).withHostConfig(host).exec().getId();
        } catch (DockerException e) {
            if (unreachable(e)) {
                throw e;
            }
            throw new DeployFailed("START_FAILED", "the engine refused to create a container of "
                    + request.artifact().reference() + " for " + environment + ": " + e.getMessage(), null);
        }
    }

    /** Waits for the health gate; empty when the container passed it, else what went wrong. */
    private Optional<String> awaitHealthy(String id, Optional<HealthCheck> check) {
        long start = System.nanoTime();
        long deadline = start + settings.healthTimeout().toNanos();
        Integer restarts = null;
        while (true) {
            InspectContainerResponse container = docker.inspectContainerCmd(id).exec();
            var state = container.getState();
            restarts = restarts == null ? container.getRestartCount() : restarts;
            if (Boolean.TRUE.equals(state.getRestarting()) || container.getRestartCount() > restarts) {
                return Optional.of("restarted (exit code " + state.getExitCodeLong() + ")");
            }
            if (!Boolean.TRUE.equals(state.getRunning())) {
                return Optional.of("exited with code " + state.getExitCodeLong());
            }
            if (check.isPresent()) {
                String status = state.getHealth() == null ? "" : state.getHealth().getStatus();
                if ("unhealthy".equals(status)) {
                    return Optional.of("is unhealthy by its HEALTHCHECK");
                }
                if ("healthy".equals(status) || runCheck(id, check.get())) {
                    return Optional.empty();
                }
            } else if (settings.healthPath() != null) {
                if (probe()) {
                    return Optional.empty();
                }
            } else if (System.nanoTime() - start >= STABLE.toNanos()) {
                return Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                return Optional.of("did not become healthy within " + DurationSyntax.format(settings.healthTimeout())
                        + (check.isPresent() ? " (HEALTHCHECK)" : " (GET " + settings.healthPath() + ")"));
            }
            pause();
        }
    }

    /**
     * Runs the image's HEALTHCHECK command in the container at once: the engine runs it only every interval (30s by
     * default), which would keep the app down that long; a pass counts as healthy, as the engine's own run would.
     */
    private boolean runCheck(String id, HealthCheck check) {
        List<String> test = check.getTest();
        List<String> command = switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> test;
        };
        if (command.isEmpty()) {
            return false;
        }
        try {
            String exec = docker.execCreateCmd(id).withCmd(command.toArray(String[]::new)).withAttachStdout(true)
                    .withAttachStderr(true).exec().getId();
            long timeout = check.getTimeout() == null || check.getTimeout() <= 0 ? CHECK_TIMEOUT.toNanos()
                    : check.getTimeout();
            try (ResultCallback.Adapter<Frame> output = docker.execStartCmd(exec)
                    .exec(new ResultCallback.Adapter<>())) {
                if (!output.awaitCompletion(timeout, TimeUnit.NANOSECONDS)) {
                    return false;
                }
            }
            Long exit = docker.inspectExecCmd(exec).exec().getExitCodeLong();
            return exit != null && exit == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | DockerException e) {
            LOG.debug("HEALTHCHECK of {} could not run yet: {}", id, e.toString());
            return false;
        }
    }

    /** GET of {@code health.path} on the first published port: true on 2xx or 3xx. */
    private boolean probe() {
        Optional<PortMapping> port = settings.firstTcpPort();
        if (port.isEmpty()) {
            return false;
        }
        URI uri = URI.create("http://" + address(port.get()) + ":" + port.get().hostPort() + settings.healthPath());
        try {
            int status = http.send(HttpRequest.newBuilder(uri).timeout(PROBE_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String tail(String id) {
        try (LogTail tail = docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(LOG_LINES)
                .exec(new LogTail())) {
            tail.awaitCompletion(10, TimeUnit.SECONDS);
            return tail.text();
        } catch (IOException | RuntimeException e) {
            return "(the container's output could not be read: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted while reading the container's output)";
        }
    }

    private void start(String id) {
        try {
            docker.startContainerCmd(id).exec();
        } catch (NotModifiedException e) {
            LOG.debug("{} was already running", id);
        }
    }

    private void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            LOG.debug("{} was already gone", id);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a container's health", e);
        }
    }

    /** Whether the engine could not be reached or did not answer in time. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}

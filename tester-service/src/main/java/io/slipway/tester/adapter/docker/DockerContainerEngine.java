package io.slipway.tester.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.container.SlipwayLabels;
import io.slipway.tester.domain.ContainerEngine;
import io.slipway.tester.domain.ImageRef;
import io.slipway.tester.domain.ImageUnderTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Docker engine behind the tester: pulls {@code registry/repository@sha256:…} with the configured registry
 * credentials (never a tag), opens it for the suites, and sweeps what a killed tester left behind. Every container
 * and committed image carries {@code io.slipway.managed=tester} and this instance's id; the sweep removes this
 * instance's leftovers, and any tester's older than the orphan age.
 */
public final class DockerContainerEngine implements ContainerEngine, AutoCloseable {

    public static final String STAGE = "tester";
    public static final String INSTANCE_LABEL = "io.slipway.tester.instance";
    private static final Logger LOG = LoggerFactory.getLogger(DockerContainerEngine.class);
    private static final List<String> REFUSED = List.of("unauthorized", "authentication required", "denied",
            "no basic auth credentials", "forbidden");

    /**
     * The staging registry ({@code host[:port]}) and its credentials. Only images in it are tested: without a host,
     * none is; the credentials are sent only with pulls from it; a blank username means anonymous pulls.
     */
    public record Registry(String host, String username, String password) {
        boolean admits(ImageRef image) {
            return host != null && !host.isBlank() && host.equals(image.registry());
        }

        /** The credentials for pulling {@code image}: only when it is in the configured registry. */
        Optional<AuthConfig> authFor(ImageRef image) {
            if (username == null || username.isBlank() || host == null || host.isBlank()
                    || !host.equals(image.registry())) {
                return Optional.empty();
            }
            return Optional.of(new AuthConfig().withUsername(username).withPassword(password)
                    .withRegistryAddress(host));
        }

        @Override
        public String toString() {
            return (host == null || host.isBlank() ? "any registry" : host)
                    + (username == null || username.isBlank() ? " (anonymous)" : " as " + username);
        }
    }

    private final DockerClient docker;
    private final Limits limits;
    private final Registry registry;
    private final String instanceId;
    private final Duration pullTimeout;
    private final Set<String> live = ConcurrentHashMap.newKeySet();

    /**
     * Container limits of every test container; with {@code readOnlyRoot}, containers that need no writable layer
     * run with a read-only root and a tmpfs of {@code tmpfsBytes} at {@code /tmp}.
     */
    public record Limits(long memoryBytes, double cpus, long pids, String serviceNetwork, boolean readOnlyRoot,
                         long tmpfsBytes) {
    }

    public DockerContainerEngine(DockerClient docker, Limits limits, Registry registry, String instanceId,
                                 Duration pullTimeout) {
        this.docker = docker;
        this.limits = limits;
        this.registry = registry;
        if (registry.host() == null || registry.host().isBlank()) {
            LOG.warn("SLIPWAY_STAGING_REGISTRY is not set: every container image will be refused (REGISTRY_NOT_ALLOWED), "
                    + "since the tester pulls only from the registry it is configured for");
        }
        this.instanceId = instanceId;
        this.pullTimeout = pullTimeout;
    }

    @Override
    public ImageUnderTest open(ImageRef image, String runId) {
        if (!registry.admits(image)) {
            throw new RegistryNotAllowed(registry.host() == null || registry.host().isBlank()
                    ? image.reference() + " was refused: no staging registry is configured (SLIPWAY_STAGING_REGISTRY), "
                    + "and the tester pulls from no other"
                    : image.reference() + " is not in the staging registry " + registry.host()
                    + "; the tester tests staged images only");
        }
        pull(image);
        InspectImageResponse inspected;
        try {
            inspected = docker.inspectImageCmd(image.reference()).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.of("inspect " + image.reference(), e);
        }
        Map<String, String> labels = Map.of(SlipwayLabels.MANAGED, STAGE, INSTANCE_LABEL, instanceId,
                SlipwayLabels.RUN_ID, runId);
        return new DockerImage(new Sandbox(docker, limits, labels, live), image.reference(), config(inspected));
    }

    private void pull(ImageRef image) {
        var pull = docker.pullImageCmd(image.name()).withTag(image.digest());
        registry.authFor(image).ifPresent(pull::withAuthConfig);
        try (PullImageResultCallback callback = pull.exec(new PullImageResultCallback())) {
            if (!callback.awaitCompletion(pullTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TransientFailure("pull of " + image.reference() + " did not finish within " + pullTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while pulling " + image.reference(), e);
        } catch (NotFoundException e) {
            throw new ImageUnavailable("the registry has no image " + image.reference() + ": " + e.getMessage(), false, e);
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (REFUSED.stream().anyMatch(message::contains)) {
                throw new ImageUnavailable("the registry refused to serve " + image.reference() + " to the tester "
                        + "(check SLIPWAY_STAGING_REGISTRY_USER/PASSWORD): " + e.getMessage(), true, e);
            }
            if (message.contains("manifest unknown") || message.contains("not found")) {
                throw new ImageUnavailable("the registry has no image " + image.reference() + ": " + e.getMessage(),
                        false, e);
            }
            if (e instanceof TransientFailure t) {
                throw t;
            }
            throw new TransientFailure("cannot pull " + image.reference() + ": " + e.getMessage(), e);
        }
    }

    private static ImageUnderTest.Config config(InspectImageResponse image) {
        ContainerConfig c = image.getConfig();
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : c.getEnv() == null ? new String[0] : c.getEnv()) {
            int eq = pair.indexOf('=');
            env.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        List<String> ports = new ArrayList<>();
        for (ExposedPort port : c.getExposedPorts() == null ? new ExposedPort[0] : c.getExposedPorts()) {
            ports.add(port.getPort() + "/" + port.getProtocol().toString());
        }
        return new ImageUnderTest.Config(Map.copyOf(env), c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels()),
                List.copyOf(ports), c.getVolumes() == null ? List.of() : List.copyOf(c.getVolumes().keySet()),
                list(c.getEntrypoint()), list(c.getCmd()), c.getWorkingDir() == null ? "" : c.getWorkingDir(),
                c.getUser() == null ? "" : c.getUser(),
                c.getHealthcheck() == null || c.getHealthcheck().getTest() == null ? null
                        : List.copyOf(c.getHealthcheck().getTest()));
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }

    /**
     * Removes containers and committed images labelled {@code io.slipway.managed=tester} that belong to this instance
     * (a previous life of it was killed) or are older than {@code orphanAge} (any instance); returns how many.
     */
    public int sweep(Duration orphanAge) {
        Instant cutoff = Instant.now().minus(orphanAge);
        Map<String, String> filter = Map.of(SlipwayLabels.MANAGED, STAGE);
        int removed = 0;
        try {
            for (var container : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
                if (leftover(container.getLabels(), container.getCreated(), cutoff)) {
                    docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                    removed++;
                }
            }
            for (var image : docker.listImagesCmd().withShowAll(true).withLabelFilter(filter).exec()) {
                if (leftover(image.getLabels(), image.getCreated(), cutoff)) {
                    docker.removeImageCmd(image.getId()).withForce(true).exec();
                    removed++;
                }
            }
        } catch (RuntimeException e) {
            throw DockerErrors.of("sweep leftover tester containers", e);
        }
        if (removed > 0) {
            LOG.info("Swept {} containers/images a previous tester left behind", removed);
        }
        return removed;
    }

    private boolean leftover(Map<String, String> labels, Long createdSeconds, Instant cutoff) {
        boolean mine = labels != null && instanceId.equals(labels.get(INSTANCE_LABEL));
        return mine || createdSeconds != null && Instant.ofEpochSecond(createdSeconds).isBefore(cutoff);
    }

    /** Removes every container this instance still runs (graceful shutdown). */
    @Override
    public void close() {
        for (String id : List.copyOf(live)) {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException e) {
                LOG.warn("Could not remove container {} at shutdown: {}", id, e.toString());
            }
            live.remove(id);
        }
    }
}

package io.slipway.tester.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.tester.domain.ImageUnderTest.Exec;
import io.slipway.tester.domain.Suite.RunOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Creates, runs and removes the tester's containers under its isolation rules: every capability dropped,
 * {@code no-new-privileges}, memory (without extra swap), CPU and pids limits, no network unless a service check
 * needs its bridge, a read-only root filesystem with a size-bounded tmpfs at {@code /tmp} unless the container must
 * write its own layer (setup steps, whose changes are committed), and the {@code io.slipway.managed=tester} labels
 * that let a restarted tester sweep them. Every container it creates is tracked until removed; {@link #abort} removes
 * them all at once and refuses new ones (the run they belong to is stale).
 */
final class Sandbox {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final DockerClient docker;
    private final DockerContainerEngine.Limits limits;
    private final Map<String, String> labels;
    private final Set<String> live;
    private final Set<String> own = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    Sandbox(DockerClient docker, DockerContainerEngine.Limits limits, Map<String, String> labels, Set<String> live) {
        this.docker = docker;
        this.limits = limits;
        this.labels = Map.copyOf(labels);
        this.live = live;
    }

    DockerClient docker() {
        return docker;
    }

    String network() {
        return limits.serviceNetwork();
    }

    /**
     * Creates (does not start) a container; {@code cmd == null} keeps the image's CMD. {@code writable} keeps a
     * writable root filesystem, for a container whose changes are committed.
     */
    String create(String image, List<String> cmd, List<String> env, RunOptions options, boolean network,
                  boolean overrideEntrypoint, boolean writable) {
        HostConfig host = HostConfig.newHostConfig()
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withMemory(limits.memoryBytes())
                .withMemorySwap(limits.memoryBytes())
                .withNanoCPUs((long) (limits.cpus() * 1_000_000_000L))
                .withPidsLimit(limits.pids())
                .withNetworkMode(network ? limits.serviceNetwork() : "none")
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m")));
        if (limits.readOnlyRoot() && !writable) {
            // Docker's overlay2 bounds a writable layer only on xfs with pquota (--storage-opt size); a read-only
            // root with a tmpfs, which counts against the memory limit and has its own size, works everywhere.
            host.withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=" + limits.tmpfsBytes()));
        }
        refuseIfAborted();
        try {
            CreateContainerCmd create = docker.createContainerCmd(image).withLabels(labels).withHostConfig(host)
                    .withEnv(env).withTty(options.tty());
            if (cmd != null) {
                create.withCmd(cmd);
            }
            if (overrideEntrypoint) {
                create.withEntrypoint(List.of());
            }
            if (options.user() != null && !options.user().isEmpty()) {
                create.withUser(options.user());
            }
            String id = create.exec().getId();
            live.add(id);
            own.add(id);
            if (aborted) {
                // abort() may have listed this sandbox's containers just before this one was added.
                remove(id);
                refuseIfAborted();
            }
            return id;
        } catch (RuntimeException e) {
            throw DockerErrors.of("create a container of " + image, e);
        }
    }

    /** Starts the container and waits for it to end; kills it at the deadline. Output is collected afterwards. */
    Exec runToEnd(String id, Duration deadline) {
        Exec failedStart = start(id);
        if (failedStart != null) {
            return failedStart;
        }
        try (WaitContainerResultCallback wait = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())) {
            boolean done = wait.awaitCompletion(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                kill(id);
            }
            int code = done ? wait.awaitStatusCode() : 137;
            OutputCollector output = output(id, null);
            return new Exec(code, output.stdout(), output.stderr(), !done);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while container " + id + " ran", e);
        } catch (IOException | RuntimeException e) {
            throw DockerErrors.of("wait for container " + id, e instanceof RuntimeException r ? r
                    : new IllegalStateException(e));
        }
    }

    /**
     * Starts a container; returns null when it runs, or the exit {@code docker run} reports when its command cannot
     * start (127 not found, 126 not executable).
     */
    Exec start(String id) {
        try {
            docker.startContainerCmd(id).exec();
            return null;
        } catch (DockerException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("executable file not found") || message.contains("no such file or directory")) {
                return new Exec(127, "", message, false);
            }
            if (message.contains("permission denied")) {
                return new Exec(126, "", message, false);
            }
            throw DockerErrors.of("start container " + id, e);
        } catch (RuntimeException e) {
            throw DockerErrors.of("start container " + id, e);
        }
    }

    /** The container's output; {@code tail} limits it to the last lines (null: all of it, bounded). */
    OutputCollector output(String id, Integer tail) {
        try {
            var logs = docker.logContainerCmd(id).withStdOut(true).withStdErr(true);
            if (tail != null) {
                logs.withTail(tail);
            }
            OutputCollector output = logs.exec(new OutputCollector());
            output.awaitCompletion(30, TimeUnit.SECONDS);
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while reading the output of " + id, e);
        } catch (RuntimeException e) {
            throw DockerErrors.of("read the output of container " + id, e);
        }
    }

    /** Commits the container as an image carrying the sandbox labels; returns its id. */
    String commit(String id) {
        try {
            return docker.commitCmd(id).withLabels(labels).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.of("commit container " + id, e);
        }
    }

    private void kill(String id) {
        try {
            docker.killContainerCmd(id).exec();
        } catch (RuntimeException e) {
            LOG.debug("kill of {} at its deadline: {}", id, e.toString());
        }
    }

    /**
     * Removes every container of this sandbox, from another thread than the one running it, and refuses to create more:
     * a command waiting for its container ends at once.
     */
    void abort() {
        aborted = true;
        List.copyOf(own).forEach(this::remove);
    }

    private void refuseIfAborted() {
        if (aborted) {
            throw new IllegalStateException("the test run was stopped; no more containers start");
        }
    }

    /** Removes the container, its processes and anonymous volumes; a failure is logged (the sweep retries it). */
    void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            LOG.debug("container {} was already gone", id);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove container {} (the start-up sweep will): {}", id, e.toString());
            return;
        }
        own.remove(id);
        live.remove(id);
    }

    /** Removes an image the sandbox committed; a failure is logged (the sweep retries it). */
    void removeImage(String id) {
        try {
            docker.removeImageCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            LOG.debug("image {} was already gone", id);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove image {} (the start-up sweep will): {}", id, e.toString());
        }
    }
}

package io.slipway.devstack.testing;

import io.slipway.devstack.DevStack;
import io.slipway.devstack.LoopbackPorts;
import io.slipway.devstack.PortInUseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One {@link DevStack} per JVM for tests: started on free loopback ports in a temporary directory on first use, and
 * stopped (its directory deleted) by a shutdown hook. Tests share the broker, so each must use its own topics and
 * consumer groups — {@link #uniqueTopic(String)} gives it fresh names.
 */
public final class SharedDevStack {

    private static final int START_ATTEMPTS = 3;
    private static SharedDevStack instance;

    private final DevStack stack;

    private SharedDevStack(DevStack stack) {
        this.stack = stack;
    }

    /** The JVM-wide stack, started on the first call. */
    public static synchronized SharedDevStack get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    public String registryUrl() {
        return stack.registryUrl();
    }

    /** Creates the topic unless it exists and returns once the broker serves all its partitions. */
    public void createTopic(String name, int partitions) {
        stack.createTopic(name, partitions);
    }

    /** A topic name no other test in this JVM gets: {@code <prefix>-<random>}. Does not create the topic. */
    public String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static SharedDevStack start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("slipway-devstack-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the shared dev stack", e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                DevStack stack = DevStack.start(dir, LoopbackPorts.free(), LoopbackPorts.free(), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stack.close();
                    deleteRecursively(dir);
                }, "shared-devstack-shutdown"));
                return new SharedDevStack(stack);
            } catch (PortInUseException e) {
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }
}

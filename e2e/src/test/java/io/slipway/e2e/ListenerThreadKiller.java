package io.slipway.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A Java agent that a test loads into a running service through the Attach API: it stops, with {@link Thread#stop},
 * every thread running a stage worker's poll loop ({@code StageWorker.run}), as an error nobody catches would end it.
 * No hook in the services is needed. It uses only the JDK, since it runs in the service's JVM.
 */
public final class ListenerThreadKiller {

    private static final String POLL_LOOP_CLASS = "io.slipway.common.kafka.StageWorker";
    private static final String POLL_LOOP_METHOD = "run";

    private ListenerThreadKiller() {
    }

    /** Called in the service's JVM when the agent is loaded. */
    @SuppressWarnings({"deprecation", "removal"})
    public static void agentmain(String arguments) {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            for (StackTraceElement frame : stack) {
                if (POLL_LOOP_CLASS.equals(frame.getClassName()) && POLL_LOOP_METHOD.equals(frame.getMethodName())) {
                    System.out.println("ListenerThreadKiller: stopping " + thread.getName());
                    thread.stop();
                    return;
                }
            }
        });
    }

    /** The agent as a jar in {@code dir}: this class and a manifest naming it. */
    static Path jar(Path dir) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Agent-Class"), ListenerThreadKiller.class.getName());
        String entry = ListenerThreadKiller.class.getName().replace('.', '/') + ".class";
        Path jar = dir.resolve("listener-thread-killer.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream bytes = ListenerThreadKiller.class.getClassLoader().getResourceAsStream(entry)) {
            if (bytes == null) {
                throw new IllegalStateException("class file " + entry + " not found");
            }
            out.putNextEntry(new JarEntry(entry));
            bytes.transferTo(out);
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }
}

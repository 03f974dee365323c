package io.slipway.devstack;

import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How each devstack main runs its server as a process: one line on stderr and exit code 2 for a configuration error
 * (1 for any other start failure), one ready line on stdout once it serves, and a clean stop on SIGTERM or Ctrl-C.
 */
final class ServerProcess {

    private ServerProcess() {
    }

    /** Starts the server, prints {@code ready} of it, and waits until the JVM is asked to stop, then closes it. */
    static <T extends AutoCloseable> void serve(String name, Supplier<T> start, Function<T, String> ready)
            throws InterruptedException {
        // Named so it never clashes with the services' logback.xml when both are on one classpath (tests).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-devstack.xml");
        }
        T server;
        try {
            server = start.get();
        } catch (PortInUseException | IllegalArgumentException e) {
            System.err.println(name + " cannot start: " + e.getMessage());
            System.exit(ServerSettings.EXIT_CONFIGURATION);
            return;
        } catch (RuntimeException e) {
            System.err.println(name + " failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println(name + " did not stop cleanly: " + e.getMessage());
            }
            System.out.println(name + " stopped.");
            stopped.countDown();
        }, "slipway-server-shutdown"));
        System.out.println(ready.apply(server));
        stopped.await();
    }
}

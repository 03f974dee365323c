package io.slipway.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 for servers that are told their port before they start: a broker, a registry, the services
 * {@code ./slipway} runs, a server a test starts later or never (a port nobody answers on).
 *
 * <p>A port is taken from just below the kernel's ephemeral range ({@code ip_local_port_range}). The kernel hands ports
 * of that range to every {@code bind} to port 0 and to every outgoing connection, of any process, so a port found
 * there and closed again can be someone else's by the time its server binds it. The end-to-end suite met exactly that:
 * one free port asked for with {@code bind(0)} was given again to a registry started a moment later, and the service
 * it had been meant for found it taken. Below the range only a program that names the port can take it.
 *
 * <p>Each port is handed out once in a JVM and checked free by binding it. A search starts at a random port of the
 * span, so that JVMs asking side by side seldom try the same ports. On a machine whose ephemeral range leaves no room
 * below it, ports come from {@code bind(0)}, still once each.
 */
public final class LoopbackPorts {

    /** No port below this is handed out: the well-known and registered ports of common programs live there. */
    static final int LOWEST = 10_000;
    /** How many ports below the ephemeral range are used. */
    static final int SPAN = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final int FIRST;
    private static final int LAST;
    private static final boolean BELOW_THE_RANGE;
    private static int next;

    static {
        int ephemeralStart = ephemeralStart();
        FIRST = Math.max(LOWEST, ephemeralStart - SPAN);
        LAST = ephemeralStart - 1;
        BELOW_THE_RANGE = LAST - FIRST >= 1_000;
        next = BELOW_THE_RANGE ? FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST + 1) : 0;
    }

    private LoopbackPorts() {
    }

    /** A port of 127.0.0.1 nothing listens on now, not handed out before in this JVM, and outside the ephemeral range. */
    public static synchronized int free() {
        if (!BELOW_THE_RANGE) {
            return fromTheKernel();
        }
        int span = LAST - FIRST + 1;
        for (int tried = 0; tried < span; tried++) {
            int port = next;
            next = port == LAST ? FIRST : port + 1;
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port on 127.0.0.1 between " + FIRST + " and " + LAST));
    }

    /** The first port the kernel hands out by itself; 32768, Linux's default, where the range cannot be read. */
    static int ephemeralStart() {
        try {
            // Files.readString gives only the first byte of this file on JDK 17: procfs reports its size as 0.
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int fromTheKernel() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on 127.0.0.1", e);
            }
        }
    }
}

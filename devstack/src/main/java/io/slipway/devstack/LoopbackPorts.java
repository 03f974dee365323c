package io.slipway.devstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Free ports for servers that are told their port before they start: a broker, a registry, the services
 * {@code ./slipway} runs, a server a test starts later or never (a port nobody answers on).
 *
 * <p>A port is taken from beside the kernel's ephemeral range ({@code ip_local_port_range}), below it where there is
 * room. The kernel hands ports of that range to every {@code bind} to port 0 and to every outgoing connection, of any
 * process, so a port found there and closed again can be someone else's by the time its server binds it. The
 * end-to-end suite met exactly that: one free port asked for with {@code bind(0)} was given again to a registry
 * started a moment later, and the service it had been meant for found it taken. Beside the range only a program that
 * names the port can take it.
 *
 * <p>Each port is handed out once in a JVM, picked at random (so that JVMs asking side by side seldom try the same
 * ports), skips the ports the repository names itself ({@link #FIXED_FROM}–{@link #FIXED_TO}: the benchmark's and the
 * compose stack's), and is checked free by binding it. A service that {@code ./slipway scale} will run more instances
 * of gets its further instances' ports handed out with it ({@link #free(int, int)}). On a machine whose ephemeral
 * range leaves no room beside it, ports come from {@code bind(0)}, still once each, with a warning.
 */
public final class LoopbackPorts {

    /** No port below this is handed out: the well-known and registered ports of common programs live there. */
    static final int LOWEST = 10_000;
    /** How many ports beside the ephemeral range are used at most. */
    static final int SPAN = 10_000;
    /** The smallest room beside the ephemeral range worth using. */
    static final int ENOUGH = 1_000;
    /** Ports the repository names itself: bench/pipeline.sh, docker-compose.yml, deploy/environments.compose.yml. */
    static final int FIXED_FROM = 28_000;
    static final int FIXED_TO = 29_999;

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackPorts.class);
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /**
     * This machine's ports, made when the first is asked for: loading the class for {@link #bindable} (a server's
     * start-up check) reads no kernel setting and warns of nothing.
     */
    private static final class Machine {
        static final LoopbackPorts PORTS = beside(ephemeralRange());
    }

    private final int first;
    private final int last;
    private final Random random;
    private final Set<Integer> handedOut = new HashSet<>();

    /** Ports {@code first}–{@code last}; {@code first == 0}: whatever {@code bind(0)} gives. */
    LoopbackPorts(int first, int last, Random random) {
        this.first = first;
        this.last = last;
        this.random = random;
    }

    /**
     * A port nothing listens on now on any address, not handed out before in this JVM, and outside the kernel's
     * ephemeral range (inside it, from bind(0), only where the machine leaves no room beside it).
     */
    public static int free() {
        return Machine.PORTS.next(1, 0);
    }

    /**
     * A port {@code p} such that {@code p}, {@code p + stride}, … ({@code count} ports) are all what {@link #free()}
     * hands out, and are all handed out: for a service that will run more instances, each on its own port, as
     * {@code ./slipway scale} starts instance k on the service's port + 100·(k−1).
     *
     * @throws IllegalArgumentException for fewer than one port, or several at no or negative distance
     * @throws UncheckedIOException when no such ports are free
     */
    public static int free(int count, int stride) {
        return Machine.PORTS.next(count, stride);
    }

    /** The room beside the kernel's range {@code [low, high]} this machine's ports come from, or bind(0)'s. */
    static LoopbackPorts beside(int[] range) {
        int belowFirst = Math.max(LOWEST, range[0] - SPAN);
        int below = range[0] - belowFirst;
        int aboveLast = Math.min(65_535, range[1] + SPAN);
        int above = aboveLast - range[1];
        if (below >= ENOUGH && below >= above) {
            return new LoopbackPorts(belowFirst, range[0] - 1, new Random());
        }
        if (above >= ENOUGH) {
            return new LoopbackPorts(range[1] + 1, aboveLast, new Random());
        }
        LOG.warn("The kernel's ephemeral port range {}-{} leaves no room beside it: free ports come from bind(0), which"
                + " another program may take before their server binds them", range[0], range[1]);
        return new LoopbackPorts(0, 0, new Random());
    }

    /** {@code ip_local_port_range}; Linux's default 32768–60999 where it cannot be read. */
    static int[] ephemeralRange() {
        try {
            // Files.readString gives only the first byte of this file on JDK 17: procfs reports its size as 0.
            List<String> lines = Files.readAllLines(EPHEMERAL_RANGE);
            String[] range = lines.get(0).trim().split("\\s+");
            return new int[]{Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (IOException | IndexOutOfBoundsException | NumberFormatException e) {
            return new int[]{32_768, 60_999};
        }
    }

    /** Whether ports come from beside the ephemeral range (not from bind(0)). */
    boolean besideTheRange() {
        return first != 0;
    }

    synchronized int next(int count, int stride) {
        if (count < 1 || stride < 0 || (count > 1 && stride == 0) || stride > 65_535 / count) {
            throw new IllegalArgumentException(count + " ports " + stride + " apart cannot be handed out");
        }
        if (!besideTheRange()) {
            return fromTheKernel(count, stride);
        }
        int span = last - first + 1 - stride * (count - 1);
        if (span > 0) {
            for (int tried = 0; tried < 64; tried++) {
                int port = first + random.nextInt(span);
                if (take(port, count, stride)) {
                    return port;
                }
            }
            for (int port = first; port < first + span; port++) {
                if (take(port, count, stride)) {
                    return port;
                }
            }
        }
        throw new UncheckedIOException(new IOException("no free port between " + first + " and " + last
                + (count > 1 ? " with " + (count - 1) + " more " + stride + " apart" : "")));
    }

    private boolean take(int port, int count, int stride) {
        for (int k = 0; k < count; k++) {
            int each = port + k * stride;
            if ((each >= FIXED_FROM && each <= FIXED_TO) || handedOut.contains(each) || !bindable(each)) {
                return false;
            }
        }
        for (int k = 0; k < count; k++) {
            handedOut.add(port + k * stride);
        }
        return true;
    }

    /**
     * Binds every address, so that a listener on any of them (127.0.0.1, ::1, a bridge's) counts as taken, and
     * 127.0.0.1 itself, where the servers listen: not every system refuses the first next to a listener on the second.
     */
    private static boolean bindable(int port) {
        return bindable(new InetSocketAddress(port))
                && bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Whether a server could listen on {@code address} now (as servers do, with {@code SO_REUSEADDR}). */
    static boolean bindable(InetSocketAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address, 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port from bind(0), the further ones {@code stride} apart from it if they are free as well. */
    private int fromTheKernel(int count, int stride) {
        for (int tried = 0; tried < 1_000; tried++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on 127.0.0.1", e);
            }
            if (port + stride * (count - 1) <= 65_535 && !handedOut.contains(port)
                    && (count == 1 || take(port + stride, count - 1, stride))) {
                handedOut.add(port);
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port on 127.0.0.1 with " + (count - 1) + " more "
                + stride + " apart"));
    }
}

package io.slipway.devstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LoopbackPortsTest {

    /** Where the tests' own ranges lie: below the machine's span (22768–32767 with Linux's default range). */
    private static final int TEST_PORTS = 12_000;
    /** Random picks fixed at a range's first, or last, port: once that one is taken, only the scan finds others. */
    private static final Random ALWAYS_THE_FIRST = picking(bound -> 0);
    private static final Random ALWAYS_THE_LAST = picking(bound -> bound - 1);

    @Test
    void portsComeFromBesideTheKernelsOwnRangeOnceEachAndCanBeListenedOn() throws IOException {
        int[] range = LoopbackPorts.ephemeralRange();
        assumeTrue(LoopbackPorts.beside(range).besideTheRange(), "this machine leaves no room beside its range");
        Set<Integer> seen = new HashSet<>();
        List<ServerSocket> listening = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                int port = LoopbackPorts.free();
                assertThat(port < range[0] || port > range[1]).as("port %d is the kernel's to hand out", port).isTrue();
                assertThat(port).isGreaterThanOrEqualTo(LoopbackPorts.LOWEST);
                assertThat(port >= LoopbackPorts.FIXED_FROM && port <= LoopbackPorts.FIXED_TO)
                        .as("port %d is one the repository names", port).isFalse();
                assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
                listening.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
            }
        } finally {
            for (ServerSocket socket : listening) {
                socket.close();
            }
        }
    }

    @Test
    void eachPortOfARangeIsHandedOutOnceExceptOneSomethingListensOnAndThenNoneIsLeft() throws IOException {
        int first = TEST_PORTS + new Random().nextInt(250) * 10;
        try (ServerSocket taken = listenOrSkip(new InetSocketAddress(InetAddress.getLoopbackAddress(), first + 3))) {
            Set<Integer> expected = freeOf(first, first + 9);

            List<Integer> handedOut = drain(new LoopbackPorts(first, first + 9, new Random(7)));

            assertThat(handedOut).as("once each").doesNotHaveDuplicates();
            assertThat(new TreeSet<>(handedOut)).isEqualTo(expected).doesNotContain(taken.getLocalPort());
        }
    }

    @Test
    void aListenerOnAnotherAddressCountsAsWell() throws IOException {
        int first = TEST_PORTS + 8_000 + new Random().nextInt(200) * 10;
        InetAddress other = InetAddress.getByName("::1");
        try (ServerSocket taken = listenOrSkip(new InetSocketAddress(other, first))) {
            assertThat(taken.getInetAddress()).isInstanceOf(Inet6Address.class);

            assertThat(drain(new LoopbackPorts(first, first + 4, new Random(3)))).doesNotContain(first);
        }
    }

    @Test
    void whenTheRandomPicksMissAScanFindsTheRest() {
        int first = TEST_PORTS + 5_000 + new Random().nextInt(300) * 10;
        Set<Integer> expected = freeOf(first, first + 9);

        List<Integer> handedOut = drain(new LoopbackPorts(first, first + 9, ALWAYS_THE_FIRST));

        assertThat(handedOut).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(handedOut)).isEqualTo(expected);
    }

    @Test
    void thePortsTheRepositoryNamesItselfAreNeverHandedOut() {
        int from = LoopbackPorts.FIXED_FROM;
        int to = LoopbackPorts.FIXED_TO;
        Set<Integer> beside = new TreeSet<>(freeOf(from - 3, from + 2));
        beside.addAll(freeOf(to - 2, to + 3));
        beside.removeIf(port -> port >= from && port <= to);
        assumeTrue(!beside.isEmpty(), "the ports beside " + from + " and " + to + " are all taken");

        List<Integer> handedOut = drain(new LoopbackPorts(from - 3, from + 2, new Random(11)));
        handedOut.addAll(drain(new LoopbackPorts(to - 2, to + 3, new Random(11))));

        // Other test JVMs take ports of this machine's span too, so only what is handed out is compared, not all of it.
        assertThat(handedOut).isNotEmpty().allSatisfy(port -> assertThat(port).isIn(
                from - 3, from - 2, from - 1, to + 1, to + 2, to + 3));
    }

    @Test
    void aServiceThatWillRunMoreInstancesGetsTheirPortsHandedOutWithItsOwn() throws IOException {
        int first = TEST_PORTS + 3_000 + new Random().nextInt(150) * 10;
        assumeTrue(freeOf(first, first).contains(first), "another program listens on " + first);
        LoopbackPorts ports = new LoopbackPorts(first, first + 209, ALWAYS_THE_FIRST);
        try (ServerSocket taken = listenOrSkip(new InetSocketAddress(InetAddress.getLoopbackAddress(), first + 100))) {
            int port = ports.next(3, 100);

            assertThat(port).as("its second instance's port is taken").isNotEqualTo(first);
            assertThat(List.of(port, port + 100, port + 200)).doesNotContain(taken.getLocalPort());
            assertThat(drain(ports)).doesNotContain(port, port + 100, port + 200).contains(first);
        }
        assertThat(new LoopbackPorts(first, first + 209, ALWAYS_THE_LAST).next(3, 100))
                .as("the last instance's port stays in the range").isLessThanOrEqualTo(first + 9);
    }

    @Test
    void aCountOrStrideThatNamesNoPortsIsRefused() {
        LoopbackPorts ports = new LoopbackPorts(TEST_PORTS, TEST_PORTS + 999, new Random(5));

        for (int[] bad : new int[][]{{0, 100}, {2, 0}, {2, -100}, {3, 40_000}}) {
            assertThatThrownBy(() -> ports.next(bad[0], bad[1])).as("%d ports %d apart", bad[0], bad[1])
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theRoomBesideTheRangeIsBelowItAboveItOrNone() {
        LoopbackPorts linuxDefault = LoopbackPorts.beside(new int[]{32_768, 60_999});
        LoopbackPorts highRange = LoopbackPorts.beside(new int[]{5_000, 50_000});
        LoopbackPorts justEnoughBelow = LoopbackPorts.beside(new int[]{LoopbackPorts.LOWEST + LoopbackPorts.ENOUGH,
                65_535});
        LoopbackPorts everything = LoopbackPorts.beside(new int[]{1_024, 65_535});

        assertThat(linuxDefault.besideTheRange()).isTrue();
        assertThat(linuxDefault.next(1, 0)).isBetween(32_768 - LoopbackPorts.SPAN, 32_767);
        assertThat(highRange.besideTheRange()).isTrue();
        assertThat(highRange.next(1, 0)).isBetween(50_001, 50_000 + LoopbackPorts.SPAN);
        assertThat(justEnoughBelow.besideTheRange()).isTrue();
        assertThat(justEnoughBelow.next(1, 0))
                .isBetween(LoopbackPorts.LOWEST, LoopbackPorts.LOWEST + LoopbackPorts.ENOUGH - 1);
        assertThat(everything.besideTheRange()).isFalse();
        assertThat(everything.next(1, 0)).isPositive();
        assertThat(everything.next(2, 100)).as("bind(0)'s, with its next instance's").isBetween(1, 65_435);
    }

    @Test
    void theKernelsRangeIsReadWhereLinuxPublishesIt() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range));
        String published;
        try (InputStream in = Files.newInputStream(range)) {
            published = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        String[] bounds = published.trim().split("\\s+");

        assertThat(LoopbackPorts.ephemeralRange())
                .containsExactly(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
    }

    /** Every port {@code ports} hands out until it says none is left; a bounded loop, so a repeat cannot hang. */
    private static List<Integer> drain(LoopbackPorts ports) {
        List<Integer> handedOut = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            try {
                handedOut.add(ports.next(1, 0));
            } catch (UncheckedIOException e) {
                assertThat(e).hasMessageContaining("no free port between");
                return handedOut;
            }
        }
        throw new AssertionError("still handing out ports after 1,000: " + handedOut.subList(0, 20));
    }

    /** The ports of {@code first}–{@code last} a server could listen on now, on every address and on 127.0.0.1. */
    private static Set<Integer> freeOf(int first, int last) {
        Set<Integer> free = new TreeSet<>();
        for (int port = first; port <= last; port++) {
            try (ServerSocket any = new ServerSocket(); ServerSocket loopback = new ServerSocket()) {
                any.setReuseAddress(true);
                any.bind(new InetSocketAddress(port));
                any.close();
                loopback.setReuseAddress(true);
                loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                free.add(port);
            } catch (IOException e) {
                // taken by another program: not expected to be handed out
            }
        }
        return free;
    }

    private static Random picking(IntUnaryOperator pick) {
        return new Random() {
            @Override
            public int nextInt(int bound) {
                return pick.applyAsInt(bound);
            }
        };
    }

    private static ServerSocket listenOrSkip(InetSocketAddress address) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(address, 1);
            return socket;
        } catch (SocketException e) {
            socket.close();
            assumeTrue(false, address + " cannot be listened on here: " + e.getMessage());
            throw e;
        }
    }
}

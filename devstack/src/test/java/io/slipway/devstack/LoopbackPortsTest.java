package io.slipway.devstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LoopbackPortsTest {

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
        int first = 23_000 + new Random().nextInt(490) * 10;
        ServerSocket taken;
        try {
            taken = new ServerSocket(first + 3, 1, InetAddress.getLoopbackAddress());
        } catch (BindException e) {
            assumeTrue(false, "another program listens on " + (first + 3));
            return;
        }
        try (taken) {
            LoopbackPorts ports = new LoopbackPorts(first, first + 9, new Random(7));
            Set<Integer> handedOut = new HashSet<>();
            List<Integer> inOrder = new ArrayList<>();
            assertThatThrownBy(() -> {
                while (true) {
                    int port = ports.next();
                    inOrder.add(port);
                    handedOut.add(port);
                }
            }).isInstanceOf(UncheckedIOException.class).hasMessageContaining("no free port between " + first);

            assertThat(inOrder).as("once each").doesNotHaveDuplicates().hasSizeBetween(1, 9);
            assertThat(handedOut).allSatisfy(port -> assertThat(port).isBetween(first, first + 9))
                    .doesNotContain(first + 3);
        }
    }

    @Test
    void thePortsTheRepositoryNamesItselfAreNeverHandedOut() {
        LoopbackPorts ports = new LoopbackPorts(LoopbackPorts.FIXED_FROM - 3, LoopbackPorts.FIXED_FROM + 3,
                new Random(11));
        List<Integer> handedOut = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (true) {
                handedOut.add(ports.next());
            }
        }).isInstanceOf(UncheckedIOException.class);

        assertThat(handedOut).hasSizeLessThanOrEqualTo(3)
                .allSatisfy(port -> assertThat(port).isLessThan(LoopbackPorts.FIXED_FROM));
    }

    @Test
    void theRoomBesideTheRangeIsBelowItAboveItOrNone() {
        LoopbackPorts linuxDefault = LoopbackPorts.beside(new int[]{32_768, 60_999});
        LoopbackPorts highRange = LoopbackPorts.beside(new int[]{5_000, 50_000});
        LoopbackPorts everything = LoopbackPorts.beside(new int[]{1_024, 65_535});

        assertThat(linuxDefault.besideTheRange()).isTrue();
        assertThat(linuxDefault.next()).isBetween(32_768 - LoopbackPorts.SPAN, 32_767);
        assertThat(highRange.besideTheRange()).isTrue();
        assertThat(highRange.next()).isBetween(50_001, 50_000 + LoopbackPorts.SPAN);
        assertThat(everything.besideTheRange()).isFalse();
        assertThat(everything.next()).isPositive();
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
}

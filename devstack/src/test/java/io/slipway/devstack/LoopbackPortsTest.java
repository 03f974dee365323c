package io.slipway.devstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LoopbackPortsTest {

    @Test
    void portsComeFromBelowTheKernelsOwnRangeOnceEachAndCanBeListenedOn() throws IOException {
        int ephemeralStart = LoopbackPorts.ephemeralStart();
        assumeTrue(ephemeralStart - LoopbackPorts.LOWEST >= 1_000, "this machine leaves no room below its range");
        Set<Integer> seen = new HashSet<>();
        List<ServerSocket> listening = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                int port = LoopbackPorts.free();
                assertThat(port).isGreaterThanOrEqualTo(LoopbackPorts.LOWEST).isLessThan(ephemeralStart);
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
    void aPortSomethingListensOnIsPassedOver() throws IOException {
        assumeTrue(LoopbackPorts.ephemeralStart() - LoopbackPorts.LOWEST >= 1_000);
        int port = LoopbackPorts.free();
        assumeTrue(port + 2 < LoopbackPorts.ephemeralStart(), "the search wraps here");
        ServerSocket taken;
        try {
            taken = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress());
        } catch (BindException e) {
            assumeTrue(false, "another program has the next port already");
            return;
        }
        try (taken) {
            assertThat(LoopbackPorts.free()).isNotEqualTo(taken.getLocalPort()).isGreaterThan(port + 1);
        }
    }

    @Test
    void theKernelsRangeIsReadWhereLinuxPublishesIt() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range));
        String published;
        try (InputStream in = Files.newInputStream(range)) {
            published = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertThat(LoopbackPorts.ephemeralStart()).isEqualTo(Integer.parseInt(published.trim().split("\\s+")[0]));
    }
}

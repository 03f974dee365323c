package io.slipway.builder;

import io.slipway.devstack.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP port in front of the machine's Docker socket that a test opens and closes, to play a Docker engine that is
 * stopped and started again without touching the real dockerd (other tests use it).
 */
public final class EngineProxy implements AutoCloseable {

    private static final UnixDomainSocketAddress DOCKER = UnixDomainSocketAddress.of("/var/run/docker.sock");

    private final int port;
    private volatile ServerSocketChannel server;

    public EngineProxy() {
        this.port = LoopbackPorts.free();
    }

    /** {@code tcp://127.0.0.1:<port>}, for DOCKER_HOST. */
    public String dockerHost() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts accepting connections and forwarding them to the Docker socket. */
    public synchronized void open() {
        try {
            server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (server != null && server.isOpen()) {
                try {
                    SocketChannel client = server.accept();
                    SocketChannel engine = SocketChannel.open(DOCKER);
                    pump(client, engine);
                    pump(engine, client);
                } catch (IOException e) {
                    return;
                }
            }
        }, "engine-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try (from; to) {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException ignored) {
                // one side closed: close both
            }
        }, "engine-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

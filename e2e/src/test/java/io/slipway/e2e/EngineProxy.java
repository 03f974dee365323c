package io.slipway.e2e;

import io.slipway.devstack.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Docker engine as the services see it through {@code DOCKER_HOST=tcp://127.0.0.1:<port>}: a loopback TCP proxy
 * to the engine's unix socket that a test can {@link #cut} (open connections closed, new ones refused, as when the
 * engine is unreachable) and {@link #restore} on the same port. The engine itself keeps running.
 */
final class EngineProxy implements AutoCloseable {

    private static final Path ENGINE = Path.of("/var/run/docker.sock");

    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocketChannel server;

    EngineProxy() {
        // Not bind(0): the port is closed while the engine is cut, and one of the kernel's range could be given to
        // any outgoing connection meanwhile, so that restore() would find it taken.
        port = LoopbackPorts.free();
        server = listen(port);
    }

    /** {@code tcp://127.0.0.1:<port>}, for {@code DOCKER_HOST}. */
    String dockerHost() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Closes every open connection and the listening socket: the engine is unreachable until {@link #restore}. */
    synchronized void cut() {
        close(server);
        open.forEach(EngineProxy::close);
        open.clear();
    }

    /** Listens again on the same port. */
    synchronized void restore() {
        if (!server.isOpen()) {
            server = listen(port);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private ServerSocketChannel listen(int onPort) {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress("127.0.0.1", onPort));
            daemon("engine-proxy-accept", () -> accept(channel));
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + onPort, e);
        }
    }

    private void accept(ServerSocketChannel channel) {
        while (channel.isOpen()) {
            try {
                SocketChannel client = channel.accept();
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(ENGINE));
                open.add(client);
                open.add(engine);
                AtomicInteger directions = new AtomicInteger(2);
                pump(client, engine, directions);
                pump(engine, client, directions);
            } catch (IOException e) {
                // Cut: the listening socket was closed.
            }
        }
    }

    /** Copies one direction; when both directions of a connection ended, closes it. */
    private void pump(SocketChannel from, SocketChannel to, AtomicInteger directions) {
        daemon("engine-proxy-pump", () -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            boolean ended = false;
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
                ended = directions.decrementAndGet() == 0;
            } catch (IOException e) {
                ended = true;
            }
            if (ended) {
                close(from);
                close(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}

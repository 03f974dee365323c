package io.slipway.schemas;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A port of 127.0.0.1 that refuses every connection while this is open: bound and never listening, so that no other
 * socket, a listener or an outgoing connection, can take it meanwhile. (A port found free and closed again is the
 * kernel's to give to the next one who asks.) Tests in modules that depend on devstack use its {@code LoopbackPorts}.
 */
public final class RefusedPort implements AutoCloseable {

    private final Socket held = new Socket();

    public RefusedPort() throws IOException {
        held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public int port() {
        return held.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        held.close();
    }
}

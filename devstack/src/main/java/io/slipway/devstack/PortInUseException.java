package io.slipway.devstack;

/**
 * Thrown when a port the dev stack needs is already taken on 127.0.0.1; its message names the port, what it is for,
 * and the environment variable that moves it, so {@link DevStack#main} can print it as one line.
 */
public final class PortInUseException extends RuntimeException {

    private final int port;

    public PortInUseException(int port, String purpose, String environmentVariable) {
        super("Port " + port + " (" + purpose + ") is already in use on " + EmbeddedKafka.HOST + "; stop what is using it or set "
                + environmentVariable + " to a free port.");
        this.port = port;
    }

    public int port() {
        return port;
    }
}

package io.slipway.devstack;

/**
 * Thrown when a port a devstack server needs is already taken (on 127.0.0.1 unless it listens elsewhere); its message
 * names the port, what it is for, and the environment variable that moves it, so a main can print it as one line.
 */
public final class PortInUseException extends RuntimeException {

    private final int port;

    public PortInUseException(int port, String purpose, String environmentVariable) {
        this(EmbeddedKafka.HOST, port, purpose, environmentVariable);
    }

    /** As {@link #PortInUseException(int, String, String)} for a port on {@code host}. */
    public PortInUseException(String host, int port, String purpose, String environmentVariable) {
        super("Port " + port + " (" + purpose + ") is already in use on " + host + "; stop what is using it or set "
                + environmentVariable + " to a free port.");
        this.port = port;
    }

    public int port() {
        return port;
    }
}

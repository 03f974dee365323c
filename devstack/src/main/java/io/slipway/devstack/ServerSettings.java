package io.slipway.devstack;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings of the devstack's server mains, read by name from system properties or environment variables (or,
 * in tests, a map): blank counts as unset, numbers are checked against their range, and every refusal is an
 * {@link IllegalArgumentException} that names the variable, which the mains turn into exit code 2.
 */
public final class ServerSettings {

    /** Exit code of the mains when a port is taken or a setting is invalid. */
    public static final int EXIT_CONFIGURATION = 2;

    private final Function<String, String> lookup;

    private ServerSettings(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** A system property of the name, else the environment variable. */
    public static ServerSettings system() {
        return new ServerSettings(name -> System.getProperty(name, System.getenv(name)));
    }

    /** Only what {@code values} holds. */
    public static ServerSettings of(Map<String, String> values) {
        return new ServerSettings(values::get);
    }

    /** The raw value of {@code name}, null when unset (for settings read as a group, like passwords). */
    public String raw(String name) {
        return lookup.apply(name);
    }

    /** The trimmed value, or {@code defaultValue} when unset or blank. */
    public String get(String name, String defaultValue) {
        String value = lookup.apply(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** The trimmed value; refused when unset or blank, with {@code what} saying what it should hold. */
    public String required(String name, String what) {
        String value = get(name, null);
        if (value == null) {
            throw new IllegalArgumentException(name + " is not set: it must name " + what + ".");
        }
        return value;
    }

    /** A port number (1-65535). */
    public int port(String name, int defaultValue) {
        return number(name, defaultValue, 1, 65535, "a port number");
    }

    /** A whole number in {@code min}..{@code max}. */
    public int number(String name, int defaultValue, int min, int max, String what) {
        String value = get(name, String.valueOf(defaultValue));
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not " + what + " (" + min + "-" + max + ").");
        }
    }

    /**
     * Fails fast with a {@link PortInUseException} naming {@code environmentVariable} when {@code port} on
     * {@code host} is taken, rather than letting a server die later with a bind error deep in its logs.
     */
    public static void requireFree(String host, int port, String purpose, String environmentVariable) {
        if (!LoopbackPorts.bindable(new InetSocketAddress(host, port))) {
            throw new PortInUseException(host, port, purpose, environmentVariable);
        }
    }
}

package io.slipway.deployer.adapter.docker;

import com.github.dockerjava.api.model.Capability;
import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.YamlMap;
import io.slipway.common.yaml.YamlNode;
import io.slipway.container.ByteSizes;
import io.slipway.container.DockerEngine;
import io.slipway.deployer.domain.SecretVariables;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code target: {kind: docker, ...}} block of one environment, read strictly: every key known, every value
 * checked, secrets resolved from the environment variables the block names (never written in the file). A block
 * that cannot be used as written is an {@link InvalidYaml} naming its line, so the deployer refuses to start.
 *
 * @param host             the engine: {@code unix:///path} or {@code tcp://host:port}
 * @param tlsCertPath      directory with ca.pem, cert.pem and key.pem for a {@code tcp://} engine over TLS, or null
 * @param ports            published ports, the first one probed and reported as the URL
 * @param env              the container's environment: literal values, then those of {@code env-from}
 * @param memoryBytes      memory limit, swap included (0: none)
 * @param nanoCpus         CPU limit in billionths of a CPU (0: none)
 * @param healthPath       the HTTP path probed when the image has no HEALTHCHECK, or null
 * @param healthTimeout    how long the new container has to become healthy
 * @param capabilities     Linux capabilities given back after dropping all of them
 * @param registryUsername user for pulls, or null for anonymous pulls
 * @param registryPassword its password (from {@code registry-password-env}), or null
 * @param network          the Docker network the container is attached to (it must exist on the engine), or null
 *                         for the engine's default
 */
public record DockerTargetSettings(String host, String tlsCertPath, List<PortMapping> ports, Map<String, String> env,
                                   long memoryBytes, long nanoCpus, String healthPath, Duration healthTimeout,
                                   List<String> capabilities, String registryUsername, String registryPassword,
                                   String network) {

    static final List<String> KEYS = List.of("kind", "host", "tls-cert-path", "ports", "env", "env-from", "memory",
            "cpus", "health", "capabilities", "registry-username", "registry-password-env", "network");
    /** Docker's alphabet for network names; {@code host}, {@code none} and {@code container:…} are refused apart. */
    private static final Pattern NETWORK = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(60);
    private static final long MIN_MEMORY = 6L << 20;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern PORT = Pattern.compile(
            "(?:(\\d{1,3}(?:\\.\\d{1,3}){3}):)?(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp))?");
    private static final Pattern CAPABILITY = Pattern.compile("[A-Z][A-Z_]{1,30}");
    private static final Pattern HEALTH_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,500}");

    /** One published port: {@code hostIp} (empty: all interfaces), host and container port, protocol. */
    public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {

        /** Whether the port answers on loopback too (bound to all interfaces or to a loopback address). */
        boolean onLoopback() {
            return hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.startsWith("127.");
        }

        @Override
        public String toString() {
            return (hostIp.isEmpty() ? "" : hostIp + ":") + hostPort + ":" + containerPort + "/" + protocol;
        }
    }

    public DockerTargetSettings {
        ports = List.copyOf(ports);
        env = Map.copyOf(env);
        capabilities = List.copyOf(capabilities);
    }

    /** The first published TCP port, which the HTTP probe and the reported URL use. */
    public Optional<PortMapping> firstTcpPort() {
        return ports.stream().filter(port -> port.protocol().equals("tcp")).findFirst();
    }

    /** Reads the block; {@code secrets} resolves an environment variable's name to its value, or null. */
    public static DockerTargetSettings parse(YamlNode block, Function<String, String> secrets) {
        YamlMap map = block.map(KEYS);
        String host = map.optional("host").map(YamlNode::text).orElse(DockerEngine.DEFAULT_HOST);
        URI hostUri = hostUri(map, host);
        String tlsCertPath = map.optional("tls-cert-path").map(node -> certPath(node, hostUri)).orElse(null);
        List<PortMapping> ports = map.optional("ports").map(DockerTargetSettings::ports).orElse(List.of());
        Map<String, String> env = new LinkedHashMap<>();
        map.optional("env").ifPresent(node -> {
            YamlMap literal = node.map();
            for (String name : literal.keys()) {
                checkEnvName(literal, name);
                env.put(name, literal.required(name).scalar());
            }
        });
        map.optional("env-from").ifPresent(node -> {
            YamlMap from = node.map();
            for (String name : from.keys()) {
                checkEnvName(from, name);
                if (env.containsKey(name)) {
                    throw from.invalidKey(name, "is also given in 'env'; give each variable once");
                }
                env.put(name, SecretVariables.value(from.required(name), secrets));
            }
        });
        long memory = map.optional("memory").map(DockerTargetSettings::memory).orElse(0L);
        long nanoCpus = map.optional("cpus").map(DockerTargetSettings::nanoCpus).orElse(0L);
        String healthPath = null;
        Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;
        if (map.optional("health").isPresent()) {
            YamlMap health = map.required("health").map(List.of("path", "timeout"));
            YamlNode path = health.optional("path").orElse(null);
            if (path != null) {
                healthPath = path.text();
                if (!HEALTH_PATH.matcher(healthPath).matches() || healthPath.startsWith("//")) {
                    throw path.invalid("must be an absolute path like /healthz, not '" + YamlNode.shorten(healthPath)
                            + "'");
                }
            }
            healthTimeout = health.optional("timeout").map(YamlNode::duration).orElse(DEFAULT_HEALTH_TIMEOUT);
            if (path != null && ports.stream().noneMatch(port -> port.protocol().equals("tcp"))) {
                throw path.invalid("needs a published TCP port in 'ports' to probe");
            }
        }
        List<String> capabilities = new ArrayList<>();
        map.optional("capabilities").ifPresent(node -> node.list().forEach(item -> {
            String name = item.text();
            if (!CAPABILITY.matcher(name).matches() || name.equals("ALL") || name.equals("SYS_ADMIN")
                    || Arrays.stream(Capability.values()).noneMatch(known -> known.name().equals(name))) {
                throw item.invalid("must be a capability name like NET_BIND_SERVICE (not ALL or SYS_ADMIN), not '"
                        + YamlNode.shorten(name) + "'");
            }
            capabilities.add(name);
        }));
        String username = map.optional("registry-username").map(YamlNode::text).orElse(null);
        String password = map.optional("registry-password-env").map(node -> SecretVariables.value(node, secrets))
                .orElse(null);
        if (password != null && username == null) {
            throw map.invalidKey("registry-password-env", "needs 'registry-username'");
        }
        String network = map.optional("network").map(DockerTargetSettings::network).orElse(null);
        return new DockerTargetSettings(host, tlsCertPath, ports, env, memory, nanoCpus, healthPath, healthTimeout,
                capabilities, username, password, network);
    }

    private static String network(YamlNode node) {
        String name = node.text();
        if (!NETWORK.matcher(name).matches()) {
            throw node.invalid("must be a Docker network name (letters, digits, _ . -), not '" + YamlNode.shorten(name)
                    + "'");
        }
        if (name.equals("host") || name.equals("none")) {
            throw node.invalid("may not be '" + name + "': the app gets a network of its own (host would share the"
                    + " engine host's, none would make its ports unreachable)");
        }
        return name;
    }

    private static URI hostUri(YamlMap map, String host) {
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            throw map.required("host").invalid("must be unix:///path/to/docker.sock or tcp://host:port, not '"
                    + YamlNode.shorten(host) + "'");
        }
        boolean unix = "unix".equals(uri.getScheme()) && uri.getPath() != null && uri.getPath().startsWith("/")
                && uri.getHost() == null;
        boolean tcp = "tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
                && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getUserInfo() == null;
        if (!unix && !tcp) {
            throw map.required("host").invalid("must be unix:///path/to/docker.sock or tcp://host:port, not '"
                    + YamlNode.shorten(host) + "'");
        }
        return uri;
    }

    private static String certPath(YamlNode node, URI host) {
        if (!"tcp".equals(host.getScheme())) {
            throw node.invalid("is only for a tcp:// host");
        }
        Path dir = Path.of(node.text());
        for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
            if (!Files.isReadable(dir.resolve(file))) {
                throw node.invalid("must be a directory holding ca.pem, cert.pem and key.pem; " + file
                        + " is not readable there");
            }
        }
        return dir.toString();
    }

    private static List<PortMapping> ports(YamlNode node) {
        List<PortMapping> ports = new ArrayList<>();
        Set<String> bound = new HashSet<>();
        for (YamlNode item : node.list()) {
            String text = item.scalar();
            Matcher m = PORT.matcher(text);
            if (!m.matches()) {
                throw item.invalid("must be [ip:]hostPort:containerPort like 127.0.0.1:8080:8000, not '"
                        + YamlNode.shorten(text) + "'");
            }
            String ip = m.group(1) == null ? "" : m.group(1);
            for (String octet : ip.isEmpty() ? new String[0] : ip.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw item.invalid("has no valid IPv4 address: '" + YamlNode.shorten(text) + "'");
                }
            }
            int hostPort = Integer.parseInt(m.group(2));
            int containerPort = Integer.parseInt(m.group(3));
            if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
                throw item.invalid("has a port outside 1-65535: '" + YamlNode.shorten(text) + "'");
            }
            String protocol = m.group(4) == null ? "tcp" : m.group(4);
            if (!bound.add(hostPort + "/" + protocol)) {
                throw item.invalid("publishes host port " + hostPort + "/" + protocol + " twice");
            }
            ports.add(new PortMapping(ip, hostPort, containerPort, protocol));
        }
        return ports;
    }

    private static void checkEnvName(YamlMap map, String name) {
        if (!ENV_NAME.matcher(name).matches()) {
            throw map.invalidKey(name, "is not a variable name (letters, digits and _, not starting with a digit)");
        }
    }

    private static long memory(YamlNode node) {
        long bytes;
        try {
            bytes = ByteSizes.parse(node.scalar());
        } catch (IllegalArgumentException e) {
            throw node.invalid("must be a size like 256m or 1g, not '" + YamlNode.shorten(node.scalar()) + "'");
        }
        if (bytes < MIN_MEMORY) {
            throw node.invalid("must be at least 6m (Docker's minimum)");
        }
        return bytes;
    }

    private static long nanoCpus(YamlNode node) {
        double cpus;
        try {
            cpus = Double.parseDouble(node.scalar());
        } catch (NumberFormatException e) {
            throw node.invalid("must be a number of CPUs like 0.5 or 2, not '" + YamlNode.shorten(node.scalar()) + "'");
        }
        if (!(cpus >= 0.01 && cpus <= 1024)) {
            throw node.invalid("must be between 0.01 and 1024 CPUs");
        }
        return Math.round(cpus * 1_000_000_000d);
    }

    /** Shows the settings without the values of the environment or the registry password. */
    @Override
    public String toString() {
        return "docker " + host + (tlsCertPath == null ? "" : " (TLS)") + " ports " + ports + " env " + env.keySet()
                + " memory " + memoryBytes + " nanoCpus " + nanoCpus + " health " + healthPath + " within "
                + healthTimeout + (network == null ? "" : " network " + network)
                + (registryUsername == null ? "" : " as " + registryUsername);
    }
}

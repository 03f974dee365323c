package io.slipway.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Docker engine for tests and operators' checks: {@code dockerd} with its own data-root, exec-root, pidfile
 * and unix socket in a new temporary directory, its own bridge interface, no iptables rules, no IP masquerading and no
 * change of IP forwarding, and containerd namespaces of its own (should it share the machine's containerd), so it never
 * touches the machine's main engine or its network. Optionally it also listens on
 * a loopback TCP port with mutual TLS (certificates made by {@code openssl}), and it can be cut off from every
 * registry. {@link #close} stops it, removes its bridge and deletes the directory.
 */
public final class DockerDaemon implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The socket path of a unix socket must fit in 108 bytes; containerd's lies deepest in the directory. */
    private static final int MAX_DIR_LENGTH = 60;

    private final Path dir;
    private final String bridge;
    private final Integer tlsPort;
    private final Process process;
    private final String storageDriver;
    private final Thread shutdownHook;
    private boolean closed;

    private DockerDaemon(Path dir, String bridge, Integer tlsPort, Process process, String storageDriver) {
        this.dir = dir;
        this.bridge = bridge;
        this.tlsPort = tlsPort;
        this.process = process;
        this.storageDriver = storageDriver;
        this.shutdownHook = new Thread(this::stop, "docker-daemon-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts an engine on its unix socket only, with the registries reachable as the machine allows. */
    public static DockerDaemon start() {
        return builder().start();
    }

    /** Options for {@link #start}: a TLS listener, no registry access. */
    public static Builder builder() {
        return new Builder();
    }

    /** What a private engine should offer besides its unix socket. */
    public static final class Builder {
        private boolean tls;
        private boolean noRegistryAccess;

        private Builder() {
        }

        /** Also listen on a free loopback TCP port that requires a client certificate signed by a fresh CA. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /**
         * Point the engine's {@code HTTP_PROXY}/{@code HTTPS_PROXY} at a loopback port where nothing listens (and set
         * no {@code NO_PROXY}), so every pull and push fails at once instead of reaching a registry; all but one on
         * a loopback address, which the engine never sends through a proxy.
         */
        public Builder noRegistryAccess() {
            this.noRegistryAccess = true;
            return this;
        }

        /**
         * Starts the engine and returns once {@code /_ping} answers.
         *
         * @throws IllegalStateException when {@code dockerd} or {@code openssl} fails; the message carries its output
         */
        public DockerDaemon start() {
            Path dir = createDirectory();
            String bridge = createBridge(dir);
            try {
                Integer tlsPort = null;
                if (tls) {
                    makeCertificates(dir);
                    tlsPort = LoopbackPorts.free();
                }
                Map<String, String> proxy = noRegistryAccess ? deadProxy() : Map.of();
                try {
                    return launch(dir, bridge, tlsPort, proxy, "overlay2");
                } catch (StartFailedException overlay) {
                    // overlay2 cannot run on every file system (an overlay inside a container, for one); vfs always can.
                    LocalProcesses.deleteRecursively(dir.resolve("data"));
                    LocalProcesses.deleteRecursively(dir.resolve("exec"));
                    try {
                        return launch(dir, bridge, tlsPort, proxy, "vfs");
                    } catch (StartFailedException vfs) {
                        throw new IllegalStateException("dockerd did not start with overlay2 (" + overlay.getMessage()
                                + ") nor with vfs (" + vfs.getMessage() + ")");
                    }
                }
            } catch (RuntimeException e) {
                removeBridge(bridge);
                unmountAndDelete(dir);
                throw e;
            }
        }
    }

    /** The engine's address for {@code DOCKER_HOST} or {@code docker -H}: {@code unix:///…/docker.sock}. */
    public String dockerHost() {
        return "unix://" + dir.resolve("docker.sock");
    }

    /**
     * The TLS listener's address, {@code tcp://127.0.0.1:<port>}, to use with {@code DOCKER_TLS_VERIFY=1} and
     * {@link #certPath()}.
     *
     * @throws IllegalStateException when the engine was started without {@link Builder#tls()}
     */
    public String tlsHost() {
        return "tcp://127.0.0.1:" + requireTls();
    }

    /**
     * The client's directory in the layout of {@code DOCKER_CERT_PATH}: {@code ca.pem} (the CA that signed the
     * engine's certificate), {@code cert.pem} and {@code key.pem} (a client certificate the engine accepts).
     *
     * @throws IllegalStateException when the engine was started without {@link Builder#tls()}
     */
    public Path certPath() {
        requireTls();
        return dir.resolve("client");
    }

    /** The name of the engine's own bridge interface ({@code slw<hex>}), gone once it is closed. */
    public String bridge() {
        return bridge;
    }

    /** The storage driver the engine runs with: {@code overlay2}, or {@code vfs} where overlay2 could not start. */
    public String storageDriver() {
        return storageDriver;
    }

    /** The engine's log so far, for a test's failure message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("dockerd.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the engine (SIGTERM, then SIGKILL after 30 s) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs stop() itself.
        }
        stop();
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            terminate(process);
        } finally {
            removeBridge(bridge);
            unmountAndDelete(dir);
        }
    }

    private int requireTls() {
        if (tlsPort == null) {
            throw new IllegalStateException("this engine was started without a TLS listener");
        }
        return tlsPort;
    }

    /**
     * A bridge interface of this engine's own. Never {@code --bridge=none}: an engine started so deletes the host's
     * {@code docker0}, the main engine's default bridge. dockerd gives the bridge a free subnet itself.
     */
    private static String createBridge(Path dir) {
        String name = String.format("slw%08x", ThreadLocalRandom.current().nextInt());
        try {
            List<String> add = List.of("ip", "link", "add", name, "type", "bridge");
            LocalProcesses.run(add, add, dir);
        } catch (RuntimeException e) {
            LocalProcesses.deleteRecursively(dir);
            throw e;
        }
        return name;
    }

    private static void removeBridge(String name) {
        LocalProcesses.attempt("ip", "link", "delete", name, "type", "bridge");
    }

    private static DockerDaemon launch(Path dir, String bridge, Integer tlsPort, Map<String, String> proxy,
                                       String storageDriver) {
        Path socket = dir.resolve("docker.sock");
        List<String> command = new ArrayList<>(List.of("dockerd",
                "--config-file", writeConfig(dir).toString(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--host", "unix://" + socket,
                "--bridge=" + bridge, "--iptables=false", "--ip-masq=false", "--ip-forward=false",
                // A dockerd finding the machine's containerd (/run/containerd/containerd.sock) uses it instead of
                // starting its own: namespaces of its own keep its containers apart from the main engine's "moby".
                "--containerd-namespace", bridge, "--containerd-plugins-namespace", bridge + "-plugins",
                "--storage-driver=" + storageDriver));
        if (tlsPort != null) {
            Path server = dir.resolve("server");
            command.addAll(List.of("--host", "tcp://127.0.0.1:" + tlsPort, "--tlsverify",
                    "--tlscacert", server.resolve("ca.pem").toString(),
                    "--tlscert", server.resolve("cert.pem").toString(),
                    "--tlskey", server.resolve("key.pem").toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dockerd.log").toFile());
        Map<String, String> environment = builder.environment();
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
                "DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")) {
            environment.remove(name);
        }
        environment.putAll(proxy);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run dockerd (is Docker's engine package installed?)", e);
        }
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (!ping(socket)) {
            if (!process.isAlive()) {
                throw new StartFailedException("exited with " + process.exitValue() + ": " + lastLines(dir, 10));
            }
            if (Instant.now().isAfter(deadline)) {
                terminate(process);
                throw new IllegalStateException("dockerd did not answer /_ping within " + READY_TIMEOUT.toSeconds()
                        + " s: " + lastLines(dir, 20));
            }
            pause();
        }
        return new DockerDaemon(dir, bridge, tlsPort, process, storageDriver);
    }

    /** An empty configuration file, so the machine's {@code /etc/docker/daemon.json} does not apply. */
    private static Path writeConfig(Path dir) {
        Path config = dir.resolve("daemon.json");
        try {
            Files.writeString(config, "{}\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        return config;
    }

    private static Map<String, String> deadProxy() {
        String proxy = "http://127.0.0.1:" + LoopbackPorts.free();
        return Map.of("HTTP_PROXY", proxy, "HTTPS_PROXY", proxy, "http_proxy", proxy, "https_proxy", proxy);
    }

    /** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by that CA and valid 7 days. */
    private static void makeCertificates(Path dir) {
        Path ca = dir.resolve("ca");
        Path server = dir.resolve("server");
        Path client = dir.resolve("client");
        try {
            for (Path path : List.of(ca, server, client)) {
                Files.createDirectory(path);
            }
            Files.writeString(server.resolve("extensions.cnf"),
                    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n", StandardCharsets.UTF_8);
            Files.writeString(client.resolve("extensions.cnf"), "extendedKeyUsage=clientAuth\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare certificates in " + dir, e);
        }
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "7", "-subj", "/CN=Slipway test CA",
                "-keyout", ca.resolve("key.pem").toString(), "-out", ca.resolve("ca.pem").toString());
        signed(dir, ca, server, "/CN=127.0.0.1");
        signed(dir, ca, client, "/CN=slipway-client");
        try {
            Files.copy(ca.resolve("ca.pem"), server.resolve("ca.pem"));
            Files.copy(ca.resolve("ca.pem"), client.resolve("ca.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the CA certificate", e);
        }
    }

    private static void signed(Path dir, Path ca, Path target, String subject) {
        openssl(dir, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                "-keyout", target.resolve("key.pem").toString(), "-out", target.resolve("request.csr").toString());
        openssl(dir, "x509", "-req", "-days", "7", "-in", target.resolve("request.csr").toString(),
                "-CA", ca.resolve("ca.pem").toString(), "-CAkey", ca.resolve("key.pem").toString(),
                "-CAcreateserial", "-extfile", target.resolve("extensions.cnf").toString(),
                "-out", target.resolve("cert.pem").toString());
    }

    private static void openssl(Path dir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        LocalProcesses.run(command, command, dir);
    }

    /** True when the engine answers {@code GET /_ping} with 200 on its unix socket. */
    private static boolean ping(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(64);
            while (answer.hasRemaining() && channel.read(answer) >= 0) {
                if (answer.position() >= 12) {
                    break;
                }
            }
            String status = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.0 200") || status.startsWith("HTTP/1.1 200");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** SIGTERM to dockerd (which stops its containerd), SIGKILL to whatever of it is left after the timeout. */
    private static void terminate(Process process) {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        family.addAll(process.descendants().toList());
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String lastLines(Path dir, int count) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for dockerd", e);
        }
    }

    private static Path createDirectory() {
        Path dir;
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            if (tmp.toAbsolutePath().toString().length() > MAX_DIR_LENGTH) {
                tmp = Path.of("/tmp");
            }
            dir = Files.createTempDirectory(tmp, "slipway-dockerd-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for dockerd", e);
        }
        return dir.toAbsolutePath();
    }

    /**
     * Unmounts what the engine may have left mounted below {@code dir} (overlay layers, network namespaces), deepest
     * first, so deleting the directory never reaches into a mounted file system.
     */
    private static void unmountAndDelete(Path dir) {
        String prefix = dir.toString() + "/";
        try {
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
                    .map(line -> line.split(" ")[4].replace("\\040", " "))
                    .filter(point -> point.startsWith(prefix))
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
            for (String point : mounts) {
                LocalProcesses.attempt("umount", "-l", point);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mounts dockerd left below " + dir, e);
        }
        LocalProcesses.deleteRecursively(dir);
    }

    /** dockerd exited before it answered: worth one more try with another storage driver. */
    private static final class StartFailedException extends RuntimeException {
        StartFailedException(String message) {
            super(message);
        }
    }
}

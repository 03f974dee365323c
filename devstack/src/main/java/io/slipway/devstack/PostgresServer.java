package io.slipway.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: {@code initdb} in a new temporary directory, started with
 * {@code pg_ctl} on a free loopback port (unix socket in that directory), with one database and its owner.
 * PostgreSQL refuses to run as root, so as root every command runs as user {@code postgres}, who owns the directory.
 * {@link #close} stops the cluster and deletes the directory.
 */
public final class PostgresServer implements AutoCloseable {

    /** Where Debian installs the server binaries; {@code SLIPWAY_POSTGRES_BIN} overrides it. */
    public static final String DEFAULT_BIN = "/usr/lib/postgresql/15/bin";
    private static final String SUPERUSER = "postgres";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private boolean running;

    private PostgresServer(Path bin, Path dir, int port, String database, String user, String password) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** Starts a cluster with database and user {@code slipway} and a random password. */
    public static PostgresServer start() {
        return start("slipway", "slipway");
    }

    /**
     * Starts a cluster on a free loopback port with database {@code database} owned by {@code user}.
     *
     * @throws IllegalStateException when a PostgreSQL command fails; the message names it and carries its output
     */
    public static PostgresServer start(String database, String user) {
        requireIdentifier(database);
        requireIdentifier(user);
        String binSetting = System.getenv("SLIPWAY_POSTGRES_BIN");
        Path bin = Path.of(binSetting == null || binSetting.isBlank() ? DEFAULT_BIN : binSetting);
        Path dir;
        try {
            dir = Files.createTempDirectory("slipway-postgres-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for PostgreSQL", e);
        }
        PostgresServer server = new PostgresServer(bin, dir, LoopbackPorts.free(), database, user,
                UUID.randomUUID().toString().replace("-", ""));
        try {
            server.initAndStart();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void initAndStart() {
        if (isRoot()) {
            run(List.of("chown", SUPERUSER + ":" + SUPERUSER, dir.toString()), false);
        }
        Path data = dir.resolve("data");
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8"), true);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"), true);
        running = true;
        psql("CREATE USER " + user + " PASSWORD '" + password + "'");
        psql("CREATE DATABASE " + database + " OWNER " + user + " ENCODING 'UTF8'");
    }

    /** The JDBC URL of the database (PostgreSQL's driver). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** Runs one SQL statement as the superuser in the database {@code postgres}. */
    public void psql(String sql) {
        run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", SUPERUSER,
                "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql), true);
    }

    /** Stops the cluster (fast shutdown) and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            if (running) {
                running = false;
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                        "stop"), true);
            }
        } finally {
            LocalProcesses.deleteRecursively(dir);
        }
    }

    private void run(List<String> command, boolean asSuperuser) {
        List<String> full = new ArrayList<>();
        if (asSuperuser && isRoot()) {
            full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        full.addAll(command);
        LocalProcesses.run(full, command, dir);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void requireIdentifier(String name) {
        if (name == null || !name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
    }
}

package io.slipway.devstack;

import io.slipway.devstack.support.RegistryHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link DevStack#main} and {@link KafkaServerMain#main} as a user runs them: its own JVM, settings from environment variables, stopped by SIGTERM. */
class DevStackMainTest {

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void stopProcess() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void printsOneReadyLineServesAndStopsCleanlyOnSigterm() throws Exception {
        int kafkaPort = LoopbackPorts.free();
        int registryPort = LoopbackPorts.free();
        List<String> stdout = new CopyOnWriteArrayList<>();
        process = start(Map.of(DevStack.DATA_DIR_ENV, dir.toString(), DevStack.KAFKA_PORT_ENV, String.valueOf(kafkaPort),
                DevStack.CONTROLLER_PORT_ENV, String.valueOf(LoopbackPorts.free()),
                DevStack.REGISTRY_PORT_ENV, String.valueOf(registryPort)));
        collect(process.getInputStream(), stdout);
        String ready = "Slipway devstack ready: kafka=127.0.0.1:" + kafkaPort + " (plaintext) schema-registry=http://127.0.0.1:"
                + registryPort;

        await().atMost(Duration.ofSeconds(90)).until(() -> stdout.contains(ready) || !process.isAlive());
        assertThat(stdout).as("output of DevStack.main").contains(ready);
        assertThat(new RegistryHttp("http://127.0.0.1:" + registryPort).get("/").status()).isEqualTo(200);
        assertThat(dir.resolve("kafka/meta.properties")).exists();

        // SIGTERM through the handle: Process.destroy() would also close our end of the child's stdout.
        process.toHandle().destroy();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status after SIGTERM").isEqualTo(128 + 15);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stdout).contains("Slipway devstack stopped."));
    }

    @Test
    void takenPortEndsWithOneClearLineAndExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            process = start(Map.of(DevStack.DATA_DIR_ENV, dir.toString(),
                    DevStack.KAFKA_PORT_ENV, String.valueOf(taken.getLocalPort()),
                    DevStack.CONTROLLER_PORT_ENV, String.valueOf(LoopbackPorts.free()),
                    DevStack.REGISTRY_PORT_ENV, String.valueOf(LoopbackPorts.free())));
            process.getOutputStream().close();
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(DevStack.EXIT_CONFIGURATION);
            assertThat(stderr.strip()).isEqualTo("Slipway devstack cannot start: Port " + taken.getLocalPort()
                    + " (Kafka broker) is already in use on 127.0.0.1; stop what is using it or set SLIPWAY_KAFKA_PORT to a free port.");
        }
    }

    @Test
    void theKafkaServerPrintsItsReadyLineAndStopsCleanlyOnSigterm() throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(DevStack.DATA_DIR_ENV, dir.toString(),
                DevStack.KAFKA_PORT_ENV, String.valueOf(LoopbackPorts.free()),
                DevStack.CONTROLLER_PORT_ENV, String.valueOf(LoopbackPorts.free()), DevStack.PARTITIONS_ENV, "1"));
        KafkaCredentials.PRINCIPALS.forEach(principal -> environment.put(KafkaCredentials.environmentVariable(principal),
                "pw-" + principal + "-" + UUID.randomUUID()));
        List<String> stdout = new CopyOnWriteArrayList<>();
        process = start(KafkaServerMain.class, environment);
        collect(process.getInputStream(), stdout);

        await().atMost(Duration.ofSeconds(90)).until(() -> stdout.stream().anyMatch(line -> line.startsWith(
                KafkaServerMain.READY)) || !process.isAlive());
        assertThat(stdout).as("output of KafkaServerMain.main").anyMatch(line -> line.startsWith(KafkaServerMain.READY));
        process.toHandle().destroy();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status after SIGTERM").isEqualTo(128 + 15);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stdout).contains("Slipway kafka stopped."));
    }

    @Test
    void theKafkaServerWithoutPasswordsEndsWithOneClearLineAndExitCode2() throws Exception {
        process = start(KafkaServerMain.class, Map.of(DevStack.DATA_DIR_ENV, dir.toString()));
        process.getOutputStream().close();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(ServerSettings.EXIT_CONFIGURATION);
        assertThat(stderr.strip()).startsWith("Slipway kafka cannot start: Kafka passwords: "
                + "SLIPWAY_KAFKA_PASSWORD_TRIGGER is not set;").doesNotContain("\n");
    }

    private static Process start(Map<String, String> environment) throws IOException {
        return start(DevStack.class, environment);
    }

    private static Process start(Class<?> main, Map<String, String> environment) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, main.getName());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static void collect(InputStream stream, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (IOException | UncheckedIOException e) {
                lines.add("<output closed: " + e.getMessage() + ">");
            }
        }, "devstack-main-output");
        reader.setDaemon(true);
        reader.start();
    }
}

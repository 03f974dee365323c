package io.slipway.tools;

import io.slipway.devstack.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code slipway} script gives each program it starts only the secrets that program uses, puts none on a command
 * line, and writes the demo's env file for its user only. It runs from a copy whose jars are empty files and whose
 * {@code java} is a stand-in on the PATH that records the environment and arguments it was started with.
 */
class SlipwayScriptTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final List<String> PROGRAMS = List.of("devstack", "trigger-service", "builder-service",
            "tester-service", "deliverer-service", "notifier-service", "deployer-service", "dashboard-service");
    private static final Map<String, String> SECRETS = secrets();
    private static final Map<String, Set<String>> USES = Map.of(
            "devstack", Set.of("SLIPWAY_REGISTRY_BASIC_AUTH"),
            "trigger-service", Set.of("SLIPWAY_WEBHOOK_SECRET", "SLIPWAY_RUN_TOKEN", "SCHEMA_REGISTRY_USER_INFO",
                    "KAFKA_SASL_JAAS_CONFIG", "SLIPWAY_MANAGEMENT_TOKEN"),
            "builder-service", Set.of("SLIPWAY_GIT_PASSWORD", "SLIPWAY_STAGING_REGISTRY_PASSWORD", "OS_PASSWORD",
                    "OS_APPLICATION_CREDENTIAL_SECRET", "SCHEMA_REGISTRY_USER_INFO", "KAFKA_SASL_JAAS_CONFIG",
                    "SLIPWAY_MANAGEMENT_TOKEN"),
            "tester-service", Set.of("SLIPWAY_STAGING_REGISTRY_PASSWORD", "OS_PASSWORD",
                    "OS_APPLICATION_CREDENTIAL_SECRET", "SCHEMA_REGISTRY_USER_INFO", "KAFKA_SASL_JAAS_CONFIG",
                    "SLIPWAY_MANAGEMENT_TOKEN"),
            "deliverer-service", Set.of("SLIPWAY_STAGING_REGISTRY_PASSWORD", "SLIPWAY_RELEASE_REGISTRY_PASSWORD",
                    "OS_PASSWORD", "OS_APPLICATION_CREDENTIAL_SECRET", "SCHEMA_REGISTRY_USER_INFO",
                    "KAFKA_SASL_JAAS_CONFIG", "SLIPWAY_MANAGEMENT_TOKEN"),
            "notifier-service", Set.of("GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_WEBHOOK_URL", "SLACK_OPS_WEBHOOK_URL",
                    "SCHEMA_REGISTRY_USER_INFO", "KAFKA_SASL_JAAS_CONFIG", "SLIPWAY_MANAGEMENT_TOKEN"),
            "deployer-service", Set.of("SLIPWAY_DEPLOYER_TOKEN", "SLIPWAY_DEPLOYER_GITOPS_TOKEN",
                    "SLIPWAY_RELEASE_REGISTRY_PASSWORD", "OS_PASSWORD", "OS_APPLICATION_CREDENTIAL_SECRET",
                    "SCHEMA_REGISTRY_USER_INFO", "KAFKA_SASL_JAAS_CONFIG", "SLIPWAY_MANAGEMENT_TOKEN"),
            "dashboard-service", Set.of("SLIPWAY_DASHBOARD_DB_PASSWORD", "SCHEMA_REGISTRY_USER_INFO",
                    "KAFKA_SASL_JAAS_CONFIG", "SLIPWAY_MANAGEMENT_TOKEN"));

    @TempDir
    Path tmp;

    private static Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String name : List.of("SLIPWAY_WEBHOOK_SECRET", "SLIPWAY_RUN_TOKEN", "SLIPWAY_GIT_PASSWORD",
                "SLIPWAY_STAGING_REGISTRY_PASSWORD", "SLIPWAY_RELEASE_REGISTRY_PASSWORD", "OS_PASSWORD",
                "OS_APPLICATION_CREDENTIAL_SECRET", "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_WEBHOOK_URL",
                "SLACK_OPS_WEBHOOK_URL", "SCHEMA_REGISTRY_USER_INFO", "KAFKA_SASL_JAAS_CONFIG", "SLIPWAY_REGISTRY_BASIC_AUTH",
                "SLIPWAY_MANAGEMENT_TOKEN", "SLIPWAY_DEPLOYER_TOKEN", "SLIPWAY_DEPLOYER_GITOPS_TOKEN",
                "SLIPWAY_DASHBOARD_DB_PASSWORD", "MY_OWN_API_TOKEN")) {
            secrets.put(name, "value-of-" + name.toLowerCase().replace('_', '-'));
        }
        return secrets;
    }

    @Test
    void eachServiceGetsOnlyTheSecretsItUsesAndNoneIsOnACommandLine() throws Exception {
        Path root = copyOfTheScriptWithStandInJars();
        Path record = Files.createDirectories(tmp.resolve("record"));
        Path envFile = tmp.resolve("slipway.env");
        StringBuilder settings = new StringBuilder("SLIPWAY_WATCH='acme/**'\n"
                + "SLIPWAY_GIT_CREDENTIAL_HOST=https://git.example.com\nSLIPWAY_POLICY_SECRET_ENV_NAMES='(TOKEN)'\n");
        SECRETS.forEach((name, value) -> {
            if (!name.equals("GITLAB_TOKEN")) {
                settings.append(name).append("='").append(value).append("'\n");
            }
        });
        Files.writeString(envFile, settings);
        Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> environment = upEnvironment(envFile, tmp.resolve("state"), record);
        environment.put("GITLAB_TOKEN", SECRETS.get("GITLAB_TOKEN"));
        // Kafka without logins, so the services get the Kafka login of the settings file as they would another secret.
        environment.put("SLIPWAY_KAFKA_SECURITY", "plaintext");

        String output = upAndAwaitEveryProgram(root, environment, record);

        assertThat(output).contains("other users may read it");
        for (String program : PROGRAMS) {
            Map<String, String> received = readEnvironment(record.resolve(program + ".env"));
            Set<String> secretsReceived = received.keySet().stream().filter(SECRETS::containsKey)
                    .collect(Collectors.toSet());
            assertThat(secretsReceived).as("secrets %s received", program).isEqualTo(USES.get(program));
            secretsReceived.forEach(name -> assertThat(received.get(name)).isEqualTo(SECRETS.get(name)));
            assertThat(received).as("%s still gets its settings", program).containsEntry("SLIPWAY_WATCH", "acme/**")
                    .containsEntry("SLIPWAY_GIT_CREDENTIAL_HOST", "https://git.example.com")
                    .containsEntry("SLIPWAY_POLICY_SECRET_ENV_NAMES", "(TOKEN)");
            String arguments = Files.readString(record.resolve(program + ".args"));
            assertThat(arguments).as("command line of %s", program).contains("-jar")
                    .doesNotContain(SECRETS.values().toArray(String[]::new));
        }
        assertThat(output).doesNotContain(SECRETS.values().toArray(String[]::new));
    }

    @Test
    void onTheSecuredDevStackEachServiceLogsInAsItsOwnPrincipalCreatesNoTopicsAndNoPasswordIsOnACommandLine()
            throws Exception {
        Path root = copyOfTheScriptWithStandInJars();
        Path record = Files.createDirectories(tmp.resolve("record"));
        Path state = tmp.resolve("state");
        Path credentials = Files.createDirectories(state.resolve("credentials"));
        Map<String, String> passwords = new HashMap<>();
        for (String principal : List.of("trigger", "builder", "tester", "deliverer", "notifier", "deployer",
                "dashboard", "ops", "admin")) {
            // What the dev stack writes on its first start (the stand-in devstack writes nothing).
            passwords.put(principal, "pw-" + principal + "-" + UUID.randomUUID());
            Path file = credentials.resolve("kafka-" + principal + ".properties");
            Files.writeString(file, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
                    + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + principal + "\" password=\"" + passwords.get(principal) + "\";\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Path envFile = Files.writeString(tmp.resolve("slipway.env"), "SLIPWAY_WATCH='acme/**'\n");
        Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> environment = new HashMap<>(Map.of("SLIPWAY_ENV_FILE", envFile.toString(),
                "SLIPWAY_HOME", state.toString(), "RECORD", record.toString(),
                "PATH", standInJava() + ":" + System.getenv("PATH")));
        putFreePorts(environment);

        String output = run(root, environment, root.resolve("slipway").toString(), "up");

        await("the programs ./slipway up started; it said:\n" + output).atMost(Duration.ofSeconds(30)).until(() -> PROGRAMS.stream()
                .allMatch(program -> Files.exists(record.resolve(program + ".env"))));
        Map<String, String> devstack = readEnvironment(record.resolve("devstack.env"));
        assertThat(devstack).containsEntry("SLIPWAY_KAFKA_SECURITY", "sasl")
                .containsEntry("SLIPWAY_KAFKA_CREDENTIALS", credentials.toString())
                .doesNotContainKey("KAFKA_SASL_JAAS_CONFIG");
        for (String program : PROGRAMS.subList(1, PROGRAMS.size())) {
            String principal = program.replace("-service", "");
            Map<String, String> received = readEnvironment(record.resolve(program + ".env"));
            assertThat(received).as("Kafka settings of %s", program)
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("SLIPWAY_KAFKA_CREATE_TOPICS", "false");
            assertThat(received.get("KAFKA_SASL_JAAS_CONFIG")).contains("username=\"" + principal + "\"",
                    "password=\"" + passwords.get(principal) + "\"");
            passwords.forEach((other, password) -> {
                if (!other.equals(principal)) {
                    assertThat(received.values()).as("%s gets no password of %s", program, other)
                            .noneMatch(value -> value.contains(password));
                }
            });
            assertThat(Files.readString(record.resolve(program + ".args"))).as("command line of %s", program)
                    .doesNotContain(passwords.values().toArray(String[]::new));
        }
        assertThat(output).doesNotContain(passwords.values().toArray(String[]::new));
    }

    @Test
    void upGeneratesTheRegistryCredentialsAndManagementTokenOnceForItsUserOnly() throws Exception {
        Up up = plaintextUp();

        String output = upAndAwaitEveryProgram(up);

        Path credentials = up.state().resolve("credentials");
        String userInfo = Files.readString(credentials.resolve("registry.userinfo"));
        String token = Files.readString(credentials.resolve("management.token"));
        String operatorToken = Files.readString(credentials.resolve("deployer.token"));
        assertThat(userInfo).matches("slipway:[0-9a-f]{48}");
        assertThat(token).matches("[0-9a-f]{48}");
        assertThat(operatorToken).matches("[0-9a-f]{48}").isNotEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rwx------");
        for (String file : List.of("registry.userinfo", "management.token", "deployer.token")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials.resolve(file))))
                    .isEqualTo("rw-------");
        }
        Map<String, String> devstack = readEnvironment(up.record().resolve("devstack.env"));
        assertThat(devstack).containsEntry("SLIPWAY_REGISTRY_BASIC_AUTH", userInfo)
                .doesNotContainKeys("SLIPWAY_MANAGEMENT_TOKEN", "SCHEMA_REGISTRY_USER_INFO");
        for (String service : PROGRAMS.subList(1, PROGRAMS.size())) {
            assertThat(readEnvironment(up.record().resolve(service + ".env"))).as(service)
                    .containsEntry("SCHEMA_REGISTRY_USER_INFO", userInfo)
                    .containsEntry("SLIPWAY_MANAGEMENT_TOKEN", token)
                    .doesNotContainKey("SLIPWAY_REGISTRY_BASIC_AUTH");
            assertThat(Files.readString(up.record().resolve(service + ".args"))).doesNotContain(token, userInfo,
                    operatorToken);
            Map<String, String> received = readEnvironment(up.record().resolve(service + ".env"));
            if (service.equals("deployer-service")) {
                assertThat(received).containsEntry("SLIPWAY_DEPLOYER_TOKEN", operatorToken);
            } else {
                assertThat(received).as(service).doesNotContainKey("SLIPWAY_DEPLOYER_TOKEN");
            }
        }
        assertThat(output).doesNotContain(token, userInfo, operatorToken);

        for (String program : PROGRAMS) {
            Files.delete(up.record().resolve(program + ".env"));
        }
        slipway(up, "up");

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(up.record().resolve("builder-service.env")));
        assertThat(Files.readString(credentials.resolve("management.token"))).isEqualTo(token);
        assertThat(readEnvironment(up.record().resolve("builder-service.env")))
                .containsEntry("SLIPWAY_MANAGEMENT_TOKEN", token).containsEntry("SCHEMA_REGISTRY_USER_INFO", userInfo);
    }

    @Test
    void upInstallsTheDefaultEnvironmentsFileOnceAndTheDeployerGetsItsPath() throws Exception {
        Up up = plaintextUp();

        String output = upAndAwaitEveryProgram(up);

        Path installed = up.state().resolve("environments.yml");
        assertThat(output).contains("Wrote the deployer's environments");
        assertThat(installed).hasSameTextualContentAs(ROOT.resolve("deploy/environments.example.yml"));
        assertThat(readEnvironment(up.record().resolve("deployer-service.env")))
                .containsEntry("SLIPWAY_DEPLOYER_ENVIRONMENTS", installed.toString());

        Files.writeString(installed, "environments: {}\n");
        Files.delete(up.record().resolve("deployer-service.env"));
        Path own = Files.writeString(tmp.resolve("own-environments.yml"), "environments: {}\n");
        up.environment().put("SLIPWAY_DEPLOYER_ENVIRONMENTS", own.toString());
        slipway(up, "up");

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(up.record().resolve("deployer-service.env")));
        assertThat(readEnvironment(up.record().resolve("deployer-service.env")))
                .containsEntry("SLIPWAY_DEPLOYER_ENVIRONMENTS", own.toString());
        assertThat(installed).as("an operator's edits stay").hasContent("environments: {}");
    }

    @Test
    void theDashboardKeepsItsDatabaseUnderTheStateDirectoryAndLinksAndForwardsToThisStacksPorts() throws Exception {
        Up up = plaintextUp();

        upAndAwaitEveryProgram(up);

        Map<String, String> dashboard = readEnvironment(up.record().resolve("dashboard-service.env"));
        String dashboardUrl = "http://127.0.0.1:" + up.environment().get("DASHBOARD_PORT");
        assertThat(dashboard.get("SLIPWAY_DASHBOARD_DB_URL"))
                .startsWith("jdbc:h2:file:" + up.state().resolve("dashboard/slipway") + ";MODE=PostgreSQL;");
        assertThat(up.state().resolve("dashboard")).isDirectory();
        assertThat(dashboard).containsEntry("SLIPWAY_DASHBOARD_URL", dashboardUrl)
                .containsEntry("SLIPWAY_DEPLOYER_URL", "http://127.0.0.1:" + up.environment().get("DEPLOYER_PORT"));
        assertThat(readEnvironment(up.record().resolve("notifier-service.env")))
                .as("the notifier links run pages").containsEntry("SLIPWAY_DASHBOARD_URL", dashboardUrl)
                .doesNotContainKey("SLIPWAY_DASHBOARD_DB_URL");

        Files.delete(up.record().resolve("dashboard-service.env"));
        up.environment().putAll(Map.of("SLIPWAY_DASHBOARD_DB_URL", "jdbc:postgresql://127.0.0.1:5432/slipway",
                "SLIPWAY_DASHBOARD_URL", "https://ci.example.com"));
        slipway(up, "up");

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(up.record().resolve("dashboard-service.env")));
        assertThat(readEnvironment(up.record().resolve("dashboard-service.env")))
                .containsEntry("SLIPWAY_DASHBOARD_DB_URL", "jdbc:postgresql://127.0.0.1:5432/slipway")
                .containsEntry("SLIPWAY_DASHBOARD_URL", "https://ci.example.com");
    }

    @Test
    void upLeavesTheDashboardOutWhenItIsDisabledAndScaleRefusesASecondOne() throws Exception {
        Up up = plaintextUp();
        up.environment().put("SLIPWAY_DASHBOARD_ENABLED", "false");

        String output = slipway(up, "up");

        await().atMost(Duration.ofSeconds(30)).until(() -> PROGRAMS.stream().filter(p -> !p.equals("dashboard-service"))
                .allMatch(program -> Files.exists(up.record().resolve(program + ".env"))));
        assertThat(output).contains("Starting deployer-service").doesNotContain("Starting dashboard-service");
        assertThat(up.state().resolve("dashboard-service.pid")).doesNotExist();
        assertThat(slipway(up, "status")).as("left out on purpose, not a service that died")
                .containsPattern("dashboard-service\\s+-\\s+disabled");

        String scaled = slipway(up, "scale", "dashboard-service", "2");
        assertThat(scaled).contains("dashboard-service runs as one instance per database");
        assertThat(up.state().resolve("dashboard-service-2.pid")).doesNotExist();
    }

    @Test
    void approveAndRollbackCallTheDeployerWithTheOperatorTokenAndSayWhatItAnswered() throws Exception {
        List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer deployer = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        deployer.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
            int status;
            String answer;
            if (body.contains("\"canary\"")) {
                status = 202;
                answer = "{\"message\":\"approved by mona; it deploys once its soak ends at 2026-12-06T17:10:00Z\"}";
            } else if (exchange.getRequestURI().getPath().equals("/approvals")) {
                status = 200;
                answer = "{\"status\":\"deployed\",\"message\":\"deployed\",\"runId\":\"1b2c-run\","
                        + "\"digest\":\"sha256:" + "cd".repeat(32) + "\",\"url\":\"http://127.0.0.1:18081/\"}";
            } else {
                status = 409;
                answer = "{\"message\":\"Conflict\",\"_embedded\":{\"errors\":[{\"message\":"
                        + "\"a deployment of demo/hello-app in staging is under way\"}]}}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        deployer.start();
        try {
            Path root = copyOfTheScriptWithStandInJars();
            Path state = Files.createDirectories(tmp.resolve("state"));
            Files.createDirectories(state.resolve("credentials"));
            Files.writeString(state.resolve("credentials/deployer.token"), "operator-token");
            Map<String, String> environment = Map.of("SLIPWAY_HOME", state.toString(), "SLIPWAY_ENV_FILE",
                    tmp.resolve("none.env").toString(), "SLIPWAY_OPERATOR", "mona",
                    "SLIPWAY_DEPLOYER_URL", "http://127.0.0.1:" + deployer.getAddress().getPort());
            String script = root.resolve("slipway").toString();

            String approved = run(root, environment, "bash", "-c", "\"$1\" approve 1b2c-run production; echo exit=$?",
                    "test", script);
            String refused = run(root, environment, "bash", "-c",
                    "\"$1\" rollback demo/hello-app staging sha256:" + "ab".repeat(32) + "; echo exit=$?", "test", script);
            String waiting = run(root, environment, "bash", "-c", "\"$1\" approve 1b2c-run canary; echo exit=$?",
                    "test", script);
            String wrong = run(root, environment, "bash", "-c", "\"$1\" approve 1b2c-run 'Prod;rm'; echo exit=$?",
                    "test", script);

            assertThat(approved).contains("✔ Run 1b2c-run is deployed to production at http://127.0.0.1:18081/")
                    .endsWith("exit=0\n");
            assertThat(refused).contains("slipway: rolling back staging of demo/hello-app refused (409): "
                    + "a deployment of demo/hello-app in staging is under way").endsWith("exit=1\n");
            assertThat(waiting).contains("approved by mona; it deploys once its soak ends at 2026-12-06T17:10:00Z",
                    "✔ Approved; it deploys to canary once the rest of its wait is over").endsWith("exit=0\n");
            assertThat(wrong).contains("usage: ./slipway approve <runId> <environment>").endsWith("exit=1\n");
            assertThat(requests).containsExactly(
                    "POST /approvals Bearer operator-token {\"run\":\"1b2c-run\",\"environment\":\"production\","
                            + "\"by\":\"mona\"}",
                    "POST /rollbacks Bearer operator-token {\"repository\":\"demo/hello-app\",\"environment\":"
                            + "\"staging\",\"by\":\"mona\",\"digest\":\"sha256:" + "ab".repeat(32) + "\"}",
                    "POST /approvals Bearer operator-token {\"run\":\"1b2c-run\",\"environment\":\"canary\","
                            + "\"by\":\"mona\"}");
        } finally {
            deployer.stop(0);
        }
    }

    @Test
    void theDemoWritesItsEnvFileForItsUserOnlyEvenOverAnOlderReadableOne() throws Exception {
        Path root = copyOfTheScriptWithStandInJars();
        Path state = Files.createDirectories(tmp.resolve("state"));
        Path envFile = Files.writeString(state.resolve("slipway.env"), "OLD=1\n");
        Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-r--r--"));
        Path secretFile = Files.writeString(tmp.resolve("webhook.secret"), "demo-webhook-secret");

        run(root, Map.of(), "bash", "-c", "source \"$1\"; STATE=$2; demo_env \"$3\"", "test",
                root.resolve("slipway").toString(), state.toString(), secretFile.toString());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-------");
        assertThat(Files.readString(envFile)).contains("SLIPWAY_WEBHOOK_SECRET='demo-webhook-secret'")
                .doesNotContain("OLD=1");
    }

    @Test
    void composeEnvWritesFreshSecretsForItsUserOnlyAndNeverOverwritesThem() throws Exception {
        Path envFile = tmp.resolve("compose.env");
        // The socket is absent and the group given, so nothing here touches this machine's Docker engine.
        Map<String, String> environment = Map.of("SLIPWAY_DOCKER_GID", "4242",
                "DOCKER_HOST", "unix://" + tmp.resolve("none.sock"), "SLIPWAY_GIT_ROOT", tmp.resolve("git").toString());

        String output = run(ROOT, environment, "./slipway", "compose-env", envFile.toString());
        String written = Files.readString(envFile);
        String again = run(ROOT, environment, "./slipway", "compose-env", envFile.toString());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-------");
        Map<String, String> values = new LinkedHashMap<>();
        written.lines().filter(line -> !line.startsWith("#"))
                .forEach(line -> values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        List<String> secrets = values.keySet().stream().filter(name -> name.matches(".*(PASSWORD|TOKEN|SECRET).*")).toList();
        assertThat(secrets).hasSizeGreaterThan(15).allSatisfy(name -> assertThat(values.get(name)).matches("[0-9a-f]{48}"));
        assertThat(secrets.stream().map(values::get).distinct()).hasSameSizeAs(secrets);
        assertThat(values).containsEntry("SLIPWAY_DOCKER_GID", "4242")
                .containsEntry("SLIPWAY_GIT_ROOT", tmp.resolve("git").toString());
        assertThat(values.get("SLIPWAY_REGISTRY_BASIC_AUTH")).matches("slipway:[0-9a-f]{48}");
        assertThat(tmp.resolve("git")).isDirectory();
        assertThat(output).doesNotContain(secrets.stream().map(values::get).toArray(String[]::new));
        assertThat(again).contains("exists; not overwritten");
        assertThat(Files.readString(envFile)).isEqualTo(written);
    }

    @Test
    void aServiceWhoseLivenessIsDownIsShownWithItsReasonAndRestartedButOneDownForKafkaIsLeftAlone() throws Exception {
        String dead = "{\"name\":\"tester-service\",\"status\":\"DOWN\",\"details\":{\"kafka\":{\"name\":"
                + "\"tester-service\",\"status\":\"UP\"},\"liveness\":{\"name\":\"tester-service\",\"status\":"
                + "\"DOWN\",\"details\":{\"reason\":\"kafka listener tester-service-images-listener thread died: "
                + "java.lang.ThreadDeath (since 2026-01-01T00:00:00Z)\"}}}}";
        String kafkaDown = "{\"name\":\"builder-service\",\"status\":\"DOWN\",\"details\":{\"kafka\":{\"name\":"
                + "\"builder-service\",\"status\":\"DOWN\"},\"liveness\":{\"name\":\"builder-service\","
                + "\"status\":\"UP\"}}}";
        List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer tester = healthAnswering(dead, authorizations);
        com.sun.net.httpserver.HttpServer builder = healthAnswering(kafkaDown, authorizations);
        try {
            Path root = copyOfTheScriptWithStandInJars();
            Path state = Files.createDirectories(tmp.resolve("state"));
            Files.createDirectories(state.resolve("credentials"));
            Files.writeString(state.resolve("credentials/management.token"), "the-token");
            String testerPort = String.valueOf(tester.getAddress().getPort());

            String output = run(root, Map.of(), "bash", "-c", """
                    source "$1"; STATE=$2
                    sleep 300 >/dev/null 2>&1 & echo $! >"$STATE/tester-service.pid"; echo "what ended it" >"$STATE/tester-service.log"
                    sleep 300 >/dev/null 2>&1 & echo $! >"$STATE/builder-service.pid"
                    status_line tester-service 1 "$(service_state "$3")" "$3"
                    restart_if_down tester-service "$3" && echo "tester-service stopped for a restart"
                    echo "builder-service: $(service_state "$4")"
                    restart_if_down builder-service "$4" || echo "builder-service left alone"
                    pid_alive tester-service || echo "tester-service is not running"
                    pid_alive builder-service && echo "builder-service still runs"
                    kill "$(cat "$STATE/builder-service.pid")"
                    """, "test", root.resolve("slipway").toString(), state.toString(), testerPort,
                    String.valueOf(builder.getAddress().getPort()));

            assertThat(output).contains("tester-service     1        DOWN     http://127.0.0.1:" + testerPort + "/health")
                    .contains("reason: kafka listener tester-service-images-listener thread died: java.lang.ThreadDeath "
                            + "(since 2026-01-01T00:00:00Z) (./slipway up restarts it)")
                    .contains("Restarting tester-service: it runs but its health is DOWN (kafka listener "
                            + "tester-service-images-listener thread died: java.lang.ThreadDeath")
                    .contains("tester-service stopped for a restart", "tester-service is not running")
                    .contains("builder-service: DOWN: checks DOWN: kafka", "builder-service left alone",
                            "builder-service still runs");
            assertThat(Files.readString(state.resolve("tester-service.down.log"))).isEqualTo("what ended it\n");
            assertThat(authorizations).isNotEmpty().allMatch("Bearer the-token"::equals);
        } finally {
            tester.stop(0);
            builder.stop(0);
        }
    }

    /** A loopback server whose every answer is 503 with {@code body}; it notes each request's Authorization header. */
    private static com.sun.net.httpserver.HttpServer healthAnswering(String body, List<String> authorizations)
            throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The environment of an {@code up} from the copy: settings file, state directory, free ports, the stand-in java. */
    private Map<String, String> upEnvironment(Path envFile, Path state, Path record) throws IOException {
        Map<String, String> environment = new HashMap<>(Map.of("SLIPWAY_ENV_FILE", envFile.toString(),
                "SLIPWAY_HOME", state.toString(), "RECORD", record.toString(),
                "PATH", standInJava() + ":" + System.getenv("PATH")));
        putFreePorts(environment);
        return environment;
    }

    /** A copy of the script, the directory its stand-in programs record their start in, its state directory, its env. */
    private record Up(Path root, Path record, Path state, Map<String, String> environment) {
    }

    /** A copy of the script with the environment of a plaintext {@code up}: no settings file, Kafka without logins. */
    private Up plaintextUp() throws IOException {
        Path record = Files.createDirectories(tmp.resolve("record"));
        Path state = tmp.resolve("state");
        return new Up(copyOfTheScriptWithStandInJars(), record, state, plaintextUpEnvironment(state, record));
    }

    /** As {@link #upEnvironment}, with no settings file and Kafka without logins. */
    private Map<String, String> plaintextUpEnvironment(Path state, Path record) throws IOException {
        Map<String, String> environment = upEnvironment(tmp.resolve("none.env"), state, record);
        environment.put("SLIPWAY_KAFKA_SECURITY", "plaintext");
        return environment;
    }

    /** {@code ./slipway <arguments>} run from the copy of {@code up}, with its environment; what it printed. */
    private String slipway(Up up, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(up.root().resolve("slipway").toString()));
        command.addAll(List.of(arguments));
        return run(up.root(), up.environment(), command.toArray(String[]::new));
    }

    /** As {@link #upAndAwaitEveryProgram(Path, Map, Path)} from the copy of {@code up}. */
    private String upAndAwaitEveryProgram(Up up) throws Exception {
        return upAndAwaitEveryProgram(up.root(), up.environment(), up.record());
    }

    /** Runs {@code ./slipway up} and returns its output once every program has recorded how it was started. */
    private String upAndAwaitEveryProgram(Path root, Map<String, String> environment, Path record) throws Exception {
        String output = run(root, environment, root.resolve("slipway").toString(), "up");
        await().atMost(Duration.ofSeconds(30)).until(() -> PROGRAMS.stream()
                .allMatch(program -> Files.exists(record.resolve(program + ".env"))));
        return output;
    }

    private Path copyOfTheScriptWithStandInJars() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.copy(ROOT.resolve("slipway"), root.resolve("slipway"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String module : List.of("devstack", "tools", "trigger-service", "builder-service", "tester-service",
                "deliverer-service", "notifier-service", "deployer-service", "dashboard-service")) {
            Path target = Files.createDirectories(root.resolve(module).resolve("target"));
            Files.createFile(target.resolve(module + "-0.1.0-SNAPSHOT-all.jar"));
        }
        Files.createDirectories(root.resolve("deploy"));
        Files.copy(ROOT.resolve("deploy/environments.example.yml"), root.resolve("deploy/environments.example.yml"));
        return root;
    }

    /** A directory with a {@code java} that answers the version check and records how each program was started. */
    private Path standInJava() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), """
                #!/bin/bash
                for arg in "$@"; do
                  case $arg in -XshowSettings*) echo '    java.specification.version = 17' >&2; exit 0 ;; esac
                done
                jar='' previous=''
                for arg in "$@"; do [ "$previous" = -jar ] && jar=$arg; previous=$arg; done
                name=$(basename "$jar" | sed 's/-[0-9].*$//')
                printf '%s\\n' "$@" >"$RECORD/$name.args"
                env -0 >"$RECORD/$name.env.part" && mv "$RECORD/$name.env.part" "$RECORD/$name.env"
                # A dev stack stays up: one that exited right after saying it is ready would fail `up`'s wait.
                [ "$name" != devstack ] || { echo 'Slipway devstack ready'; sleep 3; }
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    private static Map<String, String> readEnvironment(Path file) throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (String entry : Files.readString(file).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                environment.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return environment;
    }

    private String run(Path dir, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.matches("(?i).*(PASSWORD|SECRET|TOKEN|WEBHOOK_URL).*"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        return output;
    }

    private static void putFreePorts(Map<String, String> environment) throws IOException {
        for (String port : List.of("SLIPWAY_KAFKA_PORT", "SLIPWAY_CONTROLLER_PORT", "SLIPWAY_REGISTRY_PORT",
                "TRIGGER_PORT", "BUILDER_PORT", "TESTER_PORT", "DELIVERER_PORT", "NOTIFIER_PORT", "DEPLOYER_PORT",
                "DASHBOARD_PORT")) {
            environment.put(port, String.valueOf(LoopbackPorts.free()));
        }
    }
}

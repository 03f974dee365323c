package io.slipway.tools;

import io.slipway.devstack.DevStack;
import io.slipway.devstack.KafkaCredentials;
import io.slipway.devstack.PipelineAcls;
import io.slipway.devstack.SchemaRegistryMain;
import io.slipway.devstack.registry.SchemaRegistryServer;
import io.slipway.schemas.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Kubernetes manifests under deploy/kubernetes, rendered per overlay with {@code kubectl kustomize} as an operator
 * would apply them (no cluster runs here): every service is a hardened Deployment with probes, resources and a
 * disruption budget; every variable it is given is one it reads; no secret is written into them; and the Strimzi
 * topics and users are exactly what {@link Topics} and {@link PipelineAcls} say.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    private static final List<String> OVERLAYS = List.of("staging", "production");
    private static final List<String> SERVICES = List.of("trigger-service", "builder-service", "tester-service",
            "deliverer-service", "notifier-service", "deployer-service", "dashboard-service");
    private static final Map<String, List<Map<String, Object>>> RENDERED = new LinkedHashMap<>();
    /** What {@link SchemaRegistryMain} reads from its environment. */
    private static final Set<String> SCHEMA_REGISTRY_READS = Set.of(SchemaRegistryMain.BOOTSTRAP_ENV,
            SchemaRegistryMain.LISTEN_ENV, SchemaRegistryMain.WAIT_ENV, DevStack.REGISTRY_PORT_ENV,
            DevStack.REGISTRY_BASIC_AUTH_ENV, KafkaCredentials.environmentVariable(KafkaCredentials.SCHEMA_REGISTRY));
    /** The value of a variable taken from a Secret or the pod, not written in the manifests. */
    private static final Object NO_VALUE = new Object();

    @BeforeAll
    static void render() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed");
        for (String overlay : OVERLAYS) {
            Process process = new ProcessBuilder("kubectl", "kustomize", KUBERNETES.resolve("overlays").resolve(overlay)
                    .toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize overlays/%s: %s", overlay, output).isZero();
            List<Map<String, Object>> documents = new ArrayList<>();
            new Yaml().loadAll(output).forEach(document -> documents.add(map(document)));
            RENDERED.put(overlay, documents);
        }
    }

    @Test
    void everyServiceIsAHardenedDeploymentWithProbesResourcesAServiceAndADisruptionBudget() {
        RENDERED.forEach((overlay, documents) -> {
            List<String> deployments = new ArrayList<>(SERVICES);
            deployments.add("schema-registry");
            assertThat(names(documents, "Deployment")).as(overlay).containsExactlyInAnyOrderElementsOf(deployments);
            assertThat(names(documents, "Service")).as(overlay).containsExactlyInAnyOrderElementsOf(deployments);
            for (Map<String, Object> deployment : kind(documents, "Deployment")) {
                String name = name(deployment);
                boolean service = SERVICES.contains(name);
                Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
                Map<String, Object> container = map(list(pod.get("containers")).get(0));
                assertThat((String) container.get("image")).as(overlay + " " + name).contains("slipway/" + name + ":");
                Map<String, String> paths = Map.of("startupProbe", "/health/liveness", "livenessProbe",
                        "/health/liveness", "readinessProbe", "/health/readiness");
                paths.forEach((probe, path) -> {
                    assertThat(container.get(probe)).as(overlay + " " + name + " " + probe).isNotNull();
                    if (service) {
                        assertThat(at(container, probe, "httpGet", "path")).as(overlay + " " + name + " " + probe)
                                .isEqualTo(path);
                    }
                });
                for (String bound : List.of("requests", "limits")) {
                    assertThat(map(at(container, "resources", bound))).as(overlay + " " + name + " " + bound)
                            .containsKeys("cpu", "memory");
                }
                assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
                assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
                assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
                assertThat(kind(documents, "PodDisruptionBudget")).as(overlay + ": a disruption budget for " + name)
                        .anySatisfy(pdb -> assertThat(at(pdb, "spec", "selector", "matchLabels"))
                                .isEqualTo(at(deployment, "spec", "selector", "matchLabels")));
            }
            for (String single : List.of("deployer-service", "dashboard-service")) {
                Map<String, Object> deployment = named(documents, "Deployment", single);
                assertThat(at(deployment, "spec", "replicas")).as(overlay + " " + single).isEqualTo(1);
                assertThat(at(deployment, "spec", "strategy", "type")).as(overlay + " " + single).isEqualTo("Recreate");
            }
        });
    }

    @Test
    void everyVariableSetForAServiceIsOneItReads() throws IOException {
        ServiceVariables read = new ServiceVariables(ROOT);
        for (var rendered : RENDERED.entrySet()) {
            List<Map<String, Object>> documents = rendered.getValue();
            List<String> unread = new ArrayList<>();
            int checked = 0;
            for (Map<String, Object> deployment : kind(documents, "Deployment")) {
                Set<String> variables = variables(documents, deployment).keySet();
                checked += variables.size();
                if (read.isService(name(deployment))) {
                    unread.addAll(read.unread(name(deployment), variables, namedByEnvironmentsFile(documents)));
                } else {
                    variables.stream().filter(v -> !SCHEMA_REGISTRY_READS.contains(v))
                            .forEach(v -> unread.add(name(deployment) + ": " + v));
                }
            }
            assertThat(checked).as("variables checked").isGreaterThan(50);
            assertThat(unread).as("variables set in overlays/%s that the service's configuration never reads",
                    rendered.getKey()).isEmpty();
        }
    }

    @Test
    void stagingAndReleaseAreTwoRegistryHostsSoEachKeepsItsOwnCredential() {
        RENDERED.forEach((overlay, documents) -> {
            Map<String, Object> deliverer = variables(documents, named(documents, "Deployment", "deliverer-service"));
            Object staging = deliverer.get("SLIPWAY_STAGING_REGISTRY");

            assertThat(staging).as(overlay).isNotNull();
            assertThat(deliverer.get("SLIPWAY_RELEASE_REGISTRY")).as(overlay).isNotNull().isNotEqualTo(staging);
            for (String stage : List.of("builder-service", "tester-service")) {
                assertThat(variables(documents, named(documents, "Deployment", stage)).get("SLIPWAY_STAGING_REGISTRY"))
                        .as(overlay + " " + stage).isEqualTo(staging);
            }
        });
    }

    @Test
    void noSecretIsWrittenIntoTheManifests() throws IOException {
        Pattern secretName = secretNamePattern();
        RENDERED.forEach((overlay, documents) -> {
            assertThat(kind(documents, "Secret")).as(overlay + ": Secrets are created by the operator, not shipped")
                    .allSatisfy(secret -> assertThat(secret).doesNotContainKeys("data", "stringData"));
            List<String> inline = new ArrayList<>();
            for (Map<String, Object> deployment : kind(documents, "Deployment")) {
                variables(documents, deployment).forEach((variable, value) -> {
                    if (value != NO_VALUE && secretName.matcher(variable).find()) {
                        inline.add(name(deployment) + ": " + variable);
                    }
                });
            }
            assertThat(inline).as(overlay + ": secret-looking variables given a value instead of a secretKeyRef")
                    .isEmpty();
        });
        assertThat(secretName.matcher("SLIPWAY_STAGING_REGISTRY_PASSWORD").find()).isTrue();
    }

    @Test
    void theCommittedStrimziResourcesAreGeneratedFromTopicsAndPipelineAcls() throws IOException {
        Map<String, String> generated = Map.of(StrimziResources.TOPICS_FILE, StrimziResources.topics(),
                StrimziResources.USERS_FILE, StrimziResources.users());
        Path copies = ROOT.resolve("tools/target/kubernetes");
        Files.createDirectories(copies);
        for (var file : generated.entrySet()) {
            Files.writeString(copies.resolve(Path.of(file.getKey()).getFileName()), file.getValue());
        }
        for (var file : generated.entrySet()) {
            assertThat(Files.readString(ROOT.resolve(file.getKey())))
                    .as("%s is out of date; copy %s over it", file.getKey(),
                            ROOT.relativize(copies.resolve(Path.of(file.getKey()).getFileName())))
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void everyOverlayCreatesEveryTopicAndGrantsExactlyThePipelineAcls() {
        Set<List<String>> expectedAcls = PipelineAcls.grants().stream()
                .filter(grant -> StrimziResources.principals().contains(grant.principal()))
                .map(grant -> List.of(grant.principal(), StrimziResources.resourceType(grant.type()),
                        grant.type().name().equals("CLUSTER") ? "" : grant.name(),
                        grant.type().name().equals("CLUSTER") ? "" : StrimziResources.patternType(grant.pattern()),
                        StrimziResources.operation(grant.operation())))
                .collect(Collectors.toSet());
        RENDERED.forEach((overlay, documents) -> {
            List<Map<String, Object>> topics = kind(documents, "KafkaTopic");
            List<String> expectedTopics = new ArrayList<>(StrimziResources.topicNames());
            expectedTopics.add(SchemaRegistryServer.TOPIC);
            assertThat(topics).extracting(topic -> at(topic, "spec", "topicName")).as(overlay)
                    .containsExactlyInAnyOrderElementsOf(expectedTopics);
            for (Map<String, Object> topic : topics) {
                String name = (String) at(topic, "spec", "topicName");
                boolean compacted = Topics.COMPACTED.contains(name) || name.equals(SchemaRegistryServer.TOPIC);
                assertThat(at(topic, "spec", "config", "cleanup.policy")).as(overlay + " " + name)
                        .isEqualTo(compacted ? "compact" : null);
            }
            List<Map<String, Object>> users = kind(documents, "KafkaUser");
            assertThat(users).extracting(KubernetesManifestsTest::name).as(overlay)
                    .containsExactlyInAnyOrderElementsOf(StrimziResources.principals());
            Set<List<String>> acls = new HashSet<>();
            for (Map<String, Object> user : users) {
                assertThat(at(user, "spec", "authentication", "type")).isEqualTo("scram-sha-512");
                for (Object entry : list(at(user, "spec", "authorization", "acls"))) {
                    Map<String, Object> resource = map(map(entry).get("resource"));
                    for (Object operation : list(map(entry).get("operations"))) {
                        acls.add(List.of(name(user), (String) resource.get("type"),
                                String.valueOf(resource.getOrDefault("name", "")),
                                String.valueOf(resource.getOrDefault("patternType", "")), (String) operation));
                    }
                }
            }
            assertThat(acls).as(overlay).isEqualTo(expectedAcls);
        });
    }

    @Test
    void eachStageScalesOnItsOwnConsumerGroupAndOnlyTriggerAndDashboardAcceptTrafficFromOutside() {
        RENDERED.forEach((overlay, documents) -> {
            List<Map<String, Object>> scaled = kind(documents, "ScaledObject");
            assertThat(scaled).extracting(s -> at(s, "spec", "scaleTargetRef", "name")).as(overlay)
                    .containsExactlyInAnyOrder("builder-service", "tester-service", "deliverer-service",
                            "notifier-service");
            for (Map<String, Object> object : scaled) {
                Map<String, Object> trigger = map(list(at(object, "spec", "triggers")).get(0));
                Map<String, Object> metadata = map(trigger.get("metadata"));
                assertThat(trigger.get("type")).isEqualTo("kafka");
                assertThat(metadata.get("consumerGroup")).isEqualTo(at(object, "spec", "scaleTargetRef", "name"));
                if (metadata.containsKey("topic")) {
                    assertThat(Topics.allTopics()).contains((String) metadata.get("topic"));
                }
                assertThat(names(documents, "TriggerAuthentication"))
                        .contains((String) at(trigger, "authenticationRef", "name"));
            }
            List<Map<String, Object>> policies = kind(documents, "NetworkPolicy");
            Map<String, Object> slipwayPods = Map.of("matchLabels", Map.of("app.kubernetes.io/part-of", "slipway"));
            for (Map<String, Object> deployment : kind(documents, "Deployment")) {
                assertThat(at(deployment, "spec", "template", "metadata", "labels", "app.kubernetes.io/part-of"))
                        .as(overlay + " " + name(deployment) + " is held by the default deny").isEqualTo("slipway");
            }
            assertThat(policies).as(overlay + " default deny of Slipway's pods, not Strimzi's").anySatisfy(policy -> {
                assertThat(at(policy, "spec", "podSelector")).isEqualTo(slipwayPods);
                assertThat(list(at(policy, "spec", "policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
                assertThat(map(policy.get("spec"))).doesNotContainKeys("ingress", "egress");
            });
            List<Object> openToAnyone = policies.stream()
                    .filter(policy -> map(policy.get("spec")).containsKey("ingress"))
                    .filter(policy -> list(at(policy, "spec", "ingress")).stream()
                            .anyMatch(rule -> !map(rule).containsKey("from") || list(map(rule).get("from")).stream()
                                    .anyMatch(peer -> map(peer).containsKey("namespaceSelector")
                                            || map(peer).containsKey("ipBlock"))))
                    .map(policy -> at(policy, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"))
                    .toList();
            assertThat(openToAnyone).as(overlay).containsExactlyInAnyOrder("trigger-service", "dashboard-service");
        });
    }

    /**
     * Each container variable of a Deployment with its literal value (NO_VALUE for a reference), envFrom's included; a
     * literal value is kept even where an env entry overrides it, since it is written into the manifests all the same.
     */
    private static Map<String, Object> variables(List<Map<String, Object>> documents, Map<String, Object> deployment) {
        Map<String, Object> container = map(list(at(deployment, "spec", "template", "spec", "containers")).get(0));
        Map<String, Object> variables = new LinkedHashMap<>();
        for (Object from : list(container.getOrDefault("envFrom", List.of()))) {
            Object configMap = at(map(from), "configMapRef", "name");
            assertThat(configMap).as(name(deployment) + " takes variables from ConfigMaps only").isNotNull();
            variables.putAll(map(named(documents, "ConfigMap", (String) configMap).get("data")));
        }
        for (Object entry : list(container.getOrDefault("env", List.of()))) {
            Object value = map(entry).get("value");
            variables.merge((String) map(entry).get("name"), value == null ? NO_VALUE : value,
                    (earlier, later) -> earlier == NO_VALUE ? later : earlier);
        }
        return variables;
    }

    /** The deployer reads the variables its environments file names for secrets (registry-password-env, env-from). */
    private static Set<String> namedByEnvironmentsFile(List<Map<String, Object>> documents) {
        Set<String> named = new HashSet<>();
        for (Map<String, Object> configMap : kind(documents, "ConfigMap")) {
            if (name(configMap).startsWith("slipway-deployer-environments")) {
                Matcher matcher = Pattern.compile("registry-password-env: *(\\w+)|env-from: *\\{[^}]*?: *(\\w+)")
                        .matcher(String.valueOf(map(configMap.get("data")).get("environments.yml")));
                while (matcher.find()) {
                    named.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
                }
            }
        }
        return named;
    }

    /** The script's rule for which variable names hold secrets (SECRET_NAME in ./slipway), so the two cannot differ. */
    private static Pattern secretNamePattern() throws IOException {
        Matcher line = Pattern.compile("(?m)^SECRET_NAME='([^']+)'$").matcher(Files.readString(ROOT.resolve("slipway")));
        assertThat(line.find()).as("SECRET_NAME in ./slipway").isTrue();
        return Pattern.compile(line.group(1));
    }

    private static List<Map<String, Object>> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static List<String> names(List<Map<String, Object>> documents, String kind) {
        return kind(documents, kind).stream().map(KubernetesManifestsTest::name).toList();
    }

    private static Map<String, Object> named(List<Map<String, Object>> documents, String kind, String name) {
        return kind(documents, kind).stream().filter(d -> name(d).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static String name(Map<String, Object> document) {
        return (String) at(document, "metadata", "name");
    }

    private static Object at(Map<String, Object> document, String... path) {
        Object node = document;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}

package io.slipway.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which environment variables a Slipway service reads, for the tests of the deployment files: a variable counts when
 * the service's application.yml or common's slipway-defaults.yml (the settings all services share) reads it as
 * {@code ${VAR:}}, or when it is one of the few read elsewhere. A deployment file that sets anything else sets it for
 * nothing.
 */
final class ServiceVariables {

    /**
     * Read by the JVM ({@code JAVA_TOOL_OPTIONS}), by Micronaut's own mapping of environment variables to properties
     * ({@code KAFKA_SASL_*} become Kafka client settings, {@code SLIPWAY_KAFKA_CREATE_TOPICS} is
     * {@code slipway.kafka.create-topics}) or by docker-java from the environment ({@code DOCKER_TLS_VERIFY},
     * {@code DOCKER_CERT_PATH}), not by application.yml.
     */
    static final Set<String> READ_ELSEWHERE = Set.of("JAVA_TOOL_OPTIONS", "KAFKA_SASL_MECHANISM",
            "KAFKA_SASL_JAAS_CONFIG", "SLIPWAY_KAFKA_CREATE_TOPICS", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH");

    private final Path root;

    ServiceVariables(Path root) {
        this.root = root;
    }

    /** Whether {@code name} is a Slipway service module (one with its own application.yml). */
    boolean isService(String name) {
        return Files.exists(config(name));
    }

    /**
     * The variables of {@code variables} that service {@code service} never reads, each as {@code service: VAR};
     * {@code alsoRead} names more that it reads by another route (e.g. a variable its configuration file names).
     */
    List<String> unread(String service, Collection<String> variables, Set<String> alsoRead) throws IOException {
        String yml = Files.readString(config(service))
                + Files.readString(root.resolve("common/src/main/resources/slipway-defaults.yml"));
        return variables.stream()
                .filter(v -> !yml.contains("${" + v + ":") && !READ_ELSEWHERE.contains(v) && !alsoRead.contains(v))
                .map(v -> service + ": " + v).toList();
    }

    private Path config(String service) {
        return root.resolve(service).resolve("src/main/resources/application.yml");
    }
}

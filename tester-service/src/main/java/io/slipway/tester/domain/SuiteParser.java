package io.slipway.tester.domain;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.StrictYaml;
import io.slipway.common.yaml.YamlMap;
import io.slipway.common.yaml.YamlNode;
import io.slipway.tester.domain.Suite.CommandTest;
import io.slipway.tester.domain.Suite.EnvVar;
import io.slipway.tester.domain.Suite.FileContentTest;
import io.slipway.tester.domain.Suite.FileExistenceTest;
import io.slipway.tester.domain.Suite.HttpCheck;
import io.slipway.tester.domain.Suite.LicenseTest;
import io.slipway.tester.domain.Suite.MetadataTest;
import io.slipway.tester.domain.Suite.OutputExpectations;
import io.slipway.tester.domain.Suite.RunOptions;
import io.slipway.tester.domain.Suite.ServiceCommand;
import io.slipway.tester.domain.Suite.ServiceTest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads container-structure-test YAML as that tool defines it (schemaVersion {@code 2.0.0}, and {@code 1.0.0} with
 * its argv-list {@code command}), plus the Slipway keys {@code serviceTests} and {@code severity}, with common's
 * {@link StrictYaml}. Unlike upstream, which ignores unknown keys, every unknown key, wrong type, invalid RE2 regex
 * and container option that would weaken the tester's isolation is an {@link InvalidSuite} naming the file, line and
 * key.
 */
public final class SuiteParser {

    private static final List<String> V2_KEYS = keys("schemaVersion", "globalEnvVars", "commandTests",
            "fileExistenceTests", "fileContentTests", "metadataTest", "licenseTests", "containerRunOptions",
            "serviceTests", "severity");
    private static final List<String> V1_KEYS = keys("schemaVersion", "globalEnvVars", "commandTests",
            "fileExistenceTests", "fileContentTests", "licenseTests", "serviceTests", "severity");
    private static final List<String> OUTPUT_KEYS = List.of("expectedOutput", "excludedOutput", "expectedError",
            "excludedError", "exitCode");
    private static final Set<String> LEGACY_KEYS = Set.of("shellMode", "isDirectory");
    private static final Set<String> EXECUTABLE_BY = Set.of("owner", "group", "other", "any");

    /**
     * What one suite may ask for. A {@code startupTimeout} above {@code maxStartupTimeout} is clamped to it (and the
     * report says so); more setup steps per command test than {@code maxSetupSteps}, or more commands per suite
     * (command tests, their setup steps and service commands) than {@code maxCommands}, make the suite invalid.
     */
    public record Limits(Duration defaultStartupTimeout, Duration maxStartupTimeout, int maxSetupSteps,
                         int maxCommands) {

        /** The tester's shipped limits, with {@code defaultStartupTimeout} for service tests that set none. */
        public static Limits defaults(Duration defaultStartupTimeout) {
            return new Limits(defaultStartupTimeout, Duration.ofMinutes(2), 10, 100);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SuiteParser.class);

    private final Limits limits;

    public SuiteParser(Limits limits) {
        this.limits = limits;
    }

    /** A parser with the shipped {@link Limits#defaults limits}. */
    public SuiteParser(Duration defaultStartupTimeout) {
        this(Limits.defaults(defaultStartupTimeout));
    }

    /** Parses one suite file; {@code name} is how reports and messages call it (its path). */
    public Suite parse(String name, String content, Origin origin) {
        try {
            YamlNode root = StrictYaml.read(name, content).orElseThrow(() -> new InvalidSuite(name
                    + ": the file is empty; a suite needs at least schemaVersion"));
            return new File(name).suite(root, origin);
        } catch (InvalidYaml e) {
            throw new InvalidSuite(e.getMessage());
        }
    }

    /** The walk over one file's values; every error names the file, the line and the key. */
    private final class File {
        private final String name;
        private boolean v1;

        File(String name) {
            this.name = name;
        }

        Suite suite(YamlNode root, Origin origin) {
            YamlMap top = mapping(root, V2_KEYS);
            YamlNode versionNode = top.optional("schemaVersion").orElseThrow(() -> root.error(
                    "key 'schemaVersion' is required: \"2.0.0\" (or \"1.0.0\")"));
            String version = versionNode.scalar();
            if (!"2.0.0".equals(version) && !"1.0.0".equals(version)) {
                throw versionNode.invalid("must be \"2.0.0\" (or \"1.0.0\"), not " + versionNode.shown());
            }
            v1 = "1.0.0".equals(version);
            if (v1) {
                root.map(V1_KEYS, key -> "not in schemaVersion 1.0.0 files; known keys: " + String.join(", ", V1_KEYS));
            }
            Suite suite = new Suite(name, origin, top.optional("severity").map(this::severity).orElse(Severity.FAIL),
                    version, envVars(top, "globalEnvVars", false), runOptions(top),
                    list(top, "commandTests", this::commandTest),
                    list(top, "fileExistenceTests", this::fileExistenceTest),
                    list(top, "fileContentTests", this::fileContentTest),
                    top.optional("metadataTest").map(this::metadataTest).orElse(null),
                    list(top, "licenseTests", this::licenseTest),
                    list(top, "serviceTests", this::serviceTest));
            int commands = suite.commandTests().stream().mapToInt(t -> 1 + t.setup().size()).sum()
                    + suite.serviceTests().stream().mapToInt(t -> t.commands().size()).sum();
            if (commands > limits.maxCommands()) {
                throw root.error("the suite runs " + commands + " commands (command tests, their setup steps and "
                        + "service commands); this tester runs at most " + limits.maxCommands() + " per suite");
            }
            return suite;
        }

        private Severity severity(YamlNode node) {
            String value = node.scalar();
            if (!value.equalsIgnoreCase("fail") && !value.equalsIgnoreCase("warn")) {
                throw node.invalid("must be fail or warn, not " + node.shown());
            }
            return Severity.parse(value);
        }

        private CommandTest commandTest(YamlNode node) {
            List<String> known = new ArrayList<>(List.of("name", "setup", "teardown", "envVars", "command"));
            known.addAll(OUTPUT_KEYS);
            if (!v1) {
                known.add("args");
            }
            YamlMap m = mapping(node, keys(known.toArray(String[]::new)));
            String testName = required(m, "name");
            List<String> argv = new ArrayList<>();
            if (v1) {
                argv.addAll(strings(m, "command"));
            } else {
                YamlNode command = m.optional("command").orElse(null);
                if (command != null && command.kind() == YamlNode.Kind.LIST) {
                    throw command.invalid("must be a string in schemaVersion 2.0.0; put the arguments under args");
                }
                String program = string(m, "command");
                if (program != null && !program.isEmpty()) {
                    argv.add(program);
                }
                argv.addAll(strings(m, "args"));
            }
            if (argv.isEmpty()) {
                throw m.missing("command");
            }
            List<List<String>> setup = new ArrayList<>();
            List<YamlNode> steps = items(m, "setup");
            if (steps.size() > limits.maxSetupSteps()) {
                throw m.get("setup").orElseThrow().invalid("has " + steps.size() + " steps; this tester runs at most "
                        + limits.maxSetupSteps() + " setup steps per command test");
            }
            for (YamlNode step : steps) {
                List<String> cmd = strings(step);
                if (cmd.isEmpty()) {
                    throw step.invalid("is an empty setup command; remove it");
                }
                setup.add(cmd);
            }
            return new CommandTest(testName, setup, envVars(m, "envVars", true), argv, output(m));
        }

        private OutputExpectations output(YamlMap m) {
            return new OutputExpectations(regexes(m, "expectedOutput"), regexes(m, "excludedOutput"),
                    regexes(m, "expectedError"), regexes(m, "excludedError"),
                    m.get("exitCode").map(YamlNode::integer).orElse(0));
        }

        private FileExistenceTest fileExistenceTest(YamlNode node) {
            YamlMap m = mapping(node, keys("name", "path", "shouldExist", "permissions", "uid", "gid",
                    "isExecutableBy"));
            String executableBy = string(m, "isExecutableBy");
            if (executableBy != null && !EXECUTABLE_BY.contains(executableBy)) {
                YamlNode value = m.get("isExecutableBy").orElseThrow();
                throw value.invalid("must be owner, group, other or any, not " + value.shown());
            }
            return new FileExistenceTest(required(m, "name"), required(m, "path"),
                    m.get("shouldExist").map(YamlNode::bool).orElse(true), string(m, "permissions"),
                    m.get("uid").map(YamlNode::integer).orElse(null), m.get("gid").map(YamlNode::integer).orElse(null),
                    executableBy);
        }

        private FileContentTest fileContentTest(YamlNode node) {
            YamlMap m = mapping(node, keys("name", "path", "expectedContents", "excludedContents"));
            return new FileContentTest(required(m, "name"), required(m, "path"), regexes(m, "expectedContents"),
                    regexes(m, "excludedContents"));
        }

        private MetadataTest metadataTest(YamlNode node) {
            YamlMap m = mapping(node, keys("envVars", "unboundEnvVars", "exposedPorts", "unexposedPorts", "entrypoint",
                    "cmd", "workdir", "volumes", "unmountedVolumes", "labels", "user"));
            List<String> unbound = envVars(m, "unboundEnvVars", false).stream().map(EnvVar::key).toList();
            return new MetadataTest(envVars(m, "envVars", false), unbound, envVars(m, "labels", false),
                    nonEmpty(m, "exposedPorts"), nonEmpty(m, "unexposedPorts"), nonEmpty(m, "volumes"),
                    nonEmpty(m, "unmountedVolumes"), m.has("entrypoint") ? strings(m, "entrypoint") : null,
                    m.has("cmd") ? strings(m, "cmd") : null, string(m, "workdir"), string(m, "user"));
        }

        private LicenseTest licenseTest(YamlNode node) {
            YamlMap m = mapping(node, keys("debian", "files"));
            return new LicenseTest(m.get("debian").map(YamlNode::bool).orElse(false), strings(m, "files"));
        }

        private ServiceTest serviceTest(YamlNode node) {
            YamlMap m = mapping(node, keys("name", "port", "startupTimeout", "envVars", "cmd", "http", "commands"));
            String testName = required(m, "name");
            YamlNode portNode = m.required("port");
            int port = portNode.integer();
            if (port < 1 || port > 65535) {
                throw portNode.invalid("must be between 1 and 65535, not " + port);
            }
            Duration written = m.optional("startupTimeout").map(YamlNode::duration).orElse(null);
            Duration startup = written == null ? limits.defaultStartupTimeout() : written;
            Duration requested = null;
            if (written != null && written.compareTo(limits.maxStartupTimeout()) > 0) {
                requested = startup;
                startup = limits.maxStartupTimeout();
                LOG.info("{}: service test '{}' asks for startupTimeout {}; clamped to the tester's maximum {}", name,
                        testName, StructureTests.shown(requested), StructureTests.shown(startup));
            }
            return new ServiceTest(testName, port, startup, requested,
                    envVars(m, "envVars", false), m.has("cmd") ? strings(m, "cmd") : null,
                    list(m, "http", this::httpCheck), list(m, "commands", this::serviceCommand));
        }

        private HttpCheck httpCheck(YamlNode node) {
            YamlMap m = mapping(node, keys("method", "path", "headers", "expectedStatus", "expectedBody",
                    "excludedBody"));
            String method = string(m, "method");
            String path = string(m, "path");
            if (path != null && !path.startsWith("/")) {
                YamlNode value = m.get("path").orElseThrow();
                throw value.invalid("must start with /, not " + value.shown());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            YamlMap given = m.optional("headers").map(YamlNode::map).orElse(null);
            if (given != null) {
                for (String header : given.keys()) {
                    headers.put(header, given.get(header).orElseThrow().scalar());
                }
            }
            return new HttpCheck(method == null ? "GET" : method.toUpperCase(Locale.ROOT), path == null ? "/" : path,
                    headers, m.get("expectedStatus").map(YamlNode::integer).orElse(200), regexes(m, "expectedBody"),
                    regexes(m, "excludedBody"));
        }

        private ServiceCommand serviceCommand(YamlNode node) {
            List<String> known = new ArrayList<>(List.of("name", "command", "args"));
            known.addAll(OUTPUT_KEYS);
            YamlMap m = mapping(node, keys(known.toArray(String[]::new)));
            List<String> argv = new ArrayList<>();
            argv.add(required(m, "command"));
            argv.addAll(strings(m, "args"));
            String commandName = string(m, "name");
            return new ServiceCommand(commandName == null ? String.join(" ", argv) : commandName, argv, output(m));
        }

        private RunOptions runOptions(YamlMap top) {
            YamlMap m = top.optional("containerRunOptions").map(node -> mapping(node, keys("user", "privileged",
                    "allocateTty", "envFile", "envVars", "capabilities", "bindMounts"))).orElse(null);
            if (m == null) {
                return RunOptions.DEFAULT;
            }
            YamlNode privileged = m.get("privileged").orElse(null);
            if (privileged != null && privileged.bool()) {
                throw privileged.invalid("is refused: the tester never runs privileged containers");
            }
            for (String refused : List.of("capabilities", "bindMounts", "envVars", "envFile")) {
                YamlNode value = m.optional(refused).orElse(null);
                if (value != null && !(value.kind() == YamlNode.Kind.LIST && value.list().isEmpty())) {
                    throw value.invalid("is not allowed: the tester adds no capabilities, mounts no host paths and "
                            + "passes none of its own environment to containers");
                }
            }
            return new RunOptions(string(m, "user"), m.get("allocateTty").map(YamlNode::bool).orElse(false));
        }

        private List<EnvVar> envVars(YamlMap parent, String key, boolean valueRequired) {
            return list(parent, key, item -> {
                YamlMap m = mapping(item, keys("key", "value", "isRegex"));
                String envKey = required(m, "key");
                String value = string(m, "value");
                if (valueRequired && (value == null || value.isEmpty())) {
                    throw m.missing("value");
                }
                boolean regex = m.get("isRegex").map(YamlNode::bool).orElse(false);
                if (regex) {
                    checkRegex(m.get("value").orElse(item), value == null ? "" : value);
                }
                return new EnvVar(envKey, value == null ? "" : value, regex);
            });
        }

        private List<String> regexes(YamlMap parent, String key) {
            List<String> values = new ArrayList<>();
            for (YamlNode item : items(parent, key)) {
                String regex = item.isNull() ? "" : item.scalar();
                checkRegex(item, regex);
                values.add(regex);
            }
            return List.copyOf(values);
        }

        private void checkRegex(YamlNode node, String regex) {
            try {
                GoSemantics.compile(regex);
            } catch (IllegalArgumentException e) {
                throw node.invalid("is an " + e.getMessage());
            }
        }

        private List<String> nonEmpty(YamlMap parent, String key) {
            for (YamlNode item : items(parent, key)) {
                if (item.isNull() || item.scalar().isEmpty()) {
                    throw item.invalid("must not be empty");
                }
            }
            return strings(parent, key);
        }

        private <T> List<T> list(YamlMap parent, String key, Function<YamlNode, T> item) {
            return items(parent, key).stream().map(item).toList();
        }

        /** The items of a list that may be left out or empty. */
        private List<YamlNode> items(YamlMap parent, String key) {
            return parent.optional(key).map(YamlNode::list).orElse(List.of());
        }

        /** A required single value, which must not be empty text either. */
        private String required(YamlMap m, String key) {
            String value = string(m, key);
            if (value == null || value.isEmpty()) {
                throw m.missing(key);
            }
            return value;
        }

        private List<String> strings(YamlMap parent, String key) {
            return parent.optional(key).map(this::strings).orElse(List.of());
        }

        private List<String> strings(YamlNode node) {
            return node.list().stream().map(item -> item.isNull() ? "" : item.scalar()).toList();
        }

        /** A single value as written, or null when left out or empty. */
        private String string(YamlMap m, String key) {
            return m.optional(key).map(YamlNode::scalar).orElse(null);
        }

        private YamlMap mapping(YamlNode node, List<String> known) {
            return node.map(known, key -> LEGACY_KEYS.contains(key)
                    ? "a legacy key today's container-structure-test ignores; remove it" : null);
        }
    }

    /** Keys in the order messages list them: sorted, so a reader finds the one they meant. */
    private static List<String> keys(String... keys) {
        return List.copyOf(new TreeSet<>(Stream.of(keys).toList()));
    }
}

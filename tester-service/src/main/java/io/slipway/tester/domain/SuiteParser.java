package io.slipway.tester.domain;

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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads container-structure-test YAML as that tool defines it (schemaVersion {@code 2.0.0}, and {@code 1.0.0} with
 * its argv-list {@code command}), plus the Slipway keys {@code serviceTests} and {@code severity}. Unlike upstream,
 * which ignores unknown keys, every unknown key, wrong type, invalid RE2 regex and container option that would
 * weaken the tester's isolation is an {@link InvalidSuite} naming the file, line and key.
 */
public final class SuiteParser {

    private static final Set<String> V2_KEYS = Set.of("schemaVersion", "globalEnvVars", "commandTests",
            "fileExistenceTests", "fileContentTests", "metadataTest", "licenseTests", "containerRunOptions",
            "serviceTests", "severity");
    private static final Set<String> V1_KEYS = Set.of("schemaVersion", "globalEnvVars", "commandTests",
            "fileExistenceTests", "fileContentTests", "licenseTests", "serviceTests", "severity");
    private static final Set<String> OUTPUT_KEYS = Set.of("expectedOutput", "excludedOutput", "expectedError",
            "excludedError", "exitCode");
    private static final Set<String> LEGACY_KEYS = Set.of("shellMode", "isDirectory");
    private static final Set<String> EXECUTABLE_BY = Set.of("owner", "group", "other", "any");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

    private final Duration defaultStartupTimeout;

    public SuiteParser(Duration defaultStartupTimeout) {
        this.defaultStartupTimeout = defaultStartupTimeout;
    }

    /** Parses one suite file; {@code name} is how reports and messages call it (its path). */
    public Suite parse(String name, String content, Origin origin) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(content));
        } catch (YAMLException e) {
            throw new InvalidSuite(name + ": not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new InvalidSuite(name + ": the file is empty; a suite needs at least schemaVersion");
        }
        return new File(name).suite(root, origin);
    }

    /** The walk over one file's node tree; every error names the file and the line. */
    private final class File {
        private final String name;
        private boolean v1;

        File(String name) {
            this.name = name;
        }

        Suite suite(Node root, Origin origin) {
            Map<String, Node> top = mapping(root, "the top level", V2_KEYS);
            String version = string(top.get("schemaVersion"), "schemaVersion");
            if (!"2.0.0".equals(version) && !"1.0.0".equals(version)) {
                throw invalid(root, version == null ? "schemaVersion is required: \"2.0.0\" (or \"1.0.0\")"
                        : "schemaVersion '" + version + "' is not supported: use \"2.0.0\" (or \"1.0.0\")");
            }
            v1 = "1.0.0".equals(version);
            if (v1) {
                mapping(root, "the top level of a schemaVersion 1.0.0 file", V1_KEYS);
            }
            String severity = string(top.get("severity"), "severity");
            return new Suite(name, origin, severity == null ? Severity.FAIL : severityOf(top.get("severity"), severity),
                    version, envVars(top.get("globalEnvVars"), "globalEnvVars", false),
                    runOptions(top.get("containerRunOptions")),
                    list(top.get("commandTests"), "commandTests", this::commandTest),
                    list(top.get("fileExistenceTests"), "fileExistenceTests", this::fileExistenceTest),
                    list(top.get("fileContentTests"), "fileContentTests", this::fileContentTest),
                    top.containsKey("metadataTest") && !isNull(top.get("metadataTest"))
                            ? metadataTest(top.get("metadataTest")) : null,
                    list(top.get("licenseTests"), "licenseTests", this::licenseTest),
                    list(top.get("serviceTests"), "serviceTests", this::serviceTest));
        }

        private Severity severityOf(Node node, String value) {
            if (!value.equalsIgnoreCase("fail") && !value.equalsIgnoreCase("warn")) {
                throw invalid(node, "severity must be fail or warn, was '" + value + "'");
            }
            return Severity.parse(value);
        }

        private CommandTest commandTest(Node node, String where) {
            Set<String> keys = new HashSet<>(Set.of("name", "setup", "teardown", "envVars", "command"));
            keys.addAll(OUTPUT_KEYS);
            if (!v1) {
                keys.add("args");
            }
            Map<String, Node> m = mapping(node, where, keys);
            String testName = required(m, "name", where, node);
            List<String> argv = new ArrayList<>();
            Node command = m.get("command");
            if (v1) {
                argv.addAll(strings(command, where + ".command"));
            } else {
                if (command instanceof SequenceNode) {
                    throw invalid(command, where + ".command must be a string in schemaVersion 2.0.0; put the "
                            + "arguments under args");
                }
                String program = string(command, where + ".command");
                if (program != null && !program.isEmpty()) {
                    argv.add(program);
                }
                argv.addAll(strings(m.get("args"), where + ".args"));
            }
            if (argv.isEmpty()) {
                throw invalid(node, where + " (" + testName + "): a command to run is required");
            }
            List<List<String>> setup = new ArrayList<>();
            for (Node step : sequence(m.get("setup"), where + ".setup")) {
                List<String> cmd = strings(step, where + ".setup");
                if (cmd.isEmpty()) {
                    throw invalid(step, where + ".setup: remove empty setup commands");
                }
                setup.add(cmd);
            }
            return new CommandTest(testName, setup, envVars(m.get("envVars"), where + ".envVars", true), argv,
                    output(m, where));
        }

        private OutputExpectations output(Map<String, Node> m, String where) {
            return new OutputExpectations(regexes(m.get("expectedOutput"), where + ".expectedOutput"),
                    regexes(m.get("excludedOutput"), where + ".excludedOutput"),
                    regexes(m.get("expectedError"), where + ".expectedError"),
                    regexes(m.get("excludedError"), where + ".excludedError"),
                    m.containsKey("exitCode") ? integer(m.get("exitCode"), where + ".exitCode") : 0);
        }

        private FileExistenceTest fileExistenceTest(Node node, String where) {
            Map<String, Node> m = mapping(node, where, Set.of("name", "path", "shouldExist", "permissions", "uid",
                    "gid", "isExecutableBy"));
            String executableBy = string(m.get("isExecutableBy"), where + ".isExecutableBy");
            if (executableBy != null && !EXECUTABLE_BY.contains(executableBy)) {
                throw invalid(m.get("isExecutableBy"), where + ".isExecutableBy must be owner, group, other or any, was '"
                        + executableBy + "'");
            }
            return new FileExistenceTest(required(m, "name", where, node), required(m, "path", where, node),
                    !m.containsKey("shouldExist") || bool(m.get("shouldExist"), where + ".shouldExist"),
                    string(m.get("permissions"), where + ".permissions"),
                    m.containsKey("uid") ? integer(m.get("uid"), where + ".uid") : null,
                    m.containsKey("gid") ? integer(m.get("gid"), where + ".gid") : null, executableBy);
        }

        private FileContentTest fileContentTest(Node node, String where) {
            Map<String, Node> m = mapping(node, where, Set.of("name", "path", "expectedContents", "excludedContents"));
            return new FileContentTest(required(m, "name", where, node), required(m, "path", where, node),
                    regexes(m.get("expectedContents"), where + ".expectedContents"),
                    regexes(m.get("excludedContents"), where + ".excludedContents"));
        }

        private MetadataTest metadataTest(Node node) {
            String where = "metadataTest";
            Map<String, Node> m = mapping(node, where, Set.of("envVars", "unboundEnvVars", "exposedPorts",
                    "unexposedPorts", "entrypoint", "cmd", "workdir", "volumes", "unmountedVolumes", "labels", "user"));
            List<String> unbound = envVars(m.get("unboundEnvVars"), where + ".unboundEnvVars", false).stream()
                    .map(EnvVar::key).toList();
            return new MetadataTest(envVars(m.get("envVars"), where + ".envVars", false), unbound,
                    envVars(m.get("labels"), where + ".labels", false),
                    nonEmpty(m.get("exposedPorts"), where + ".exposedPorts"),
                    nonEmpty(m.get("unexposedPorts"), where + ".unexposedPorts"),
                    nonEmpty(m.get("volumes"), where + ".volumes"),
                    nonEmpty(m.get("unmountedVolumes"), where + ".unmountedVolumes"),
                    m.containsKey("entrypoint") ? strings(m.get("entrypoint"), where + ".entrypoint") : null,
                    m.containsKey("cmd") ? strings(m.get("cmd"), where + ".cmd") : null,
                    string(m.get("workdir"), where + ".workdir"), string(m.get("user"), where + ".user"));
        }

        private LicenseTest licenseTest(Node node, String where) {
            Map<String, Node> m = mapping(node, where, Set.of("debian", "files"));
            return new LicenseTest(m.containsKey("debian") && bool(m.get("debian"), where + ".debian"),
                    strings(m.get("files"), where + ".files"));
        }

        private ServiceTest serviceTest(Node node, String where) {
            Map<String, Node> m = mapping(node, where, Set.of("name", "port", "startupTimeout", "envVars", "cmd",
                    "http", "commands"));
            String testName = required(m, "name", where, node);
            if (!m.containsKey("port")) {
                throw invalid(node, where + " (" + testName + "): port is required (the port the service listens on)");
            }
            int port = integer(m.get("port"), where + ".port");
            if (port < 1 || port > 65535) {
                throw invalid(m.get("port"), where + ".port must be between 1 and 65535, was " + port);
            }
            return new ServiceTest(testName, port, duration(m.get("startupTimeout"), where + ".startupTimeout"),
                    envVars(m.get("envVars"), where + ".envVars", false),
                    m.containsKey("cmd") ? strings(m.get("cmd"), where + ".cmd") : null,
                    list(m.get("http"), where + ".http", this::httpCheck),
                    list(m.get("commands"), where + ".commands", this::serviceCommand));
        }

        private HttpCheck httpCheck(Node node, String where) {
            Map<String, Node> m = mapping(node, where, Set.of("method", "path", "headers", "expectedStatus",
                    "expectedBody", "excludedBody"));
            String method = string(m.get("method"), where + ".method");
            String path = string(m.get("path"), where + ".path");
            if (path != null && !path.startsWith("/")) {
                throw invalid(m.get("path"), where + ".path must start with /, was '" + path + "'");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (m.containsKey("headers") && !isNull(m.get("headers"))) {
                for (Map.Entry<String, Node> h : mapping(m.get("headers"), where + ".headers", null).entrySet()) {
                    headers.put(h.getKey(), string(h.getValue(), where + ".headers." + h.getKey()));
                }
            }
            return new HttpCheck(method == null ? "GET" : method.toUpperCase(Locale.ROOT), path == null ? "/" : path,
                    headers, m.containsKey("expectedStatus") ? integer(m.get("expectedStatus"), where + ".expectedStatus")
                    : 200, regexes(m.get("expectedBody"), where + ".expectedBody"),
                    regexes(m.get("excludedBody"), where + ".excludedBody"));
        }

        private ServiceCommand serviceCommand(Node node, String where) {
            Set<String> keys = new HashSet<>(Set.of("name", "command", "args"));
            keys.addAll(OUTPUT_KEYS);
            Map<String, Node> m = mapping(node, where, keys);
            List<String> argv = new ArrayList<>();
            argv.add(required(m, "command", where, node));
            argv.addAll(strings(m.get("args"), where + ".args"));
            String commandName = string(m.get("name"), where + ".name");
            return new ServiceCommand(commandName == null ? String.join(" ", argv) : commandName, argv, output(m, where));
        }

        private RunOptions runOptions(Node node) {
            if (node == null || isNull(node)) {
                return RunOptions.DEFAULT;
            }
            String where = "containerRunOptions";
            Map<String, Node> m = mapping(node, where, Set.of("user", "privileged", "allocateTty", "envFile",
                    "envVars", "capabilities", "bindMounts"));
            if (m.containsKey("privileged") && bool(m.get("privileged"), where + ".privileged")) {
                throw invalid(m.get("privileged"), where + ".privileged: the tester never runs privileged containers");
            }
            for (String refused : List.of("capabilities", "bindMounts", "envVars", "envFile")) {
                if (m.containsKey(refused) && !isNull(m.get(refused))
                        && !(m.get(refused) instanceof SequenceNode s && s.getValue().isEmpty())) {
                    throw invalid(m.get(refused), where + "." + refused + " is not allowed: the tester adds no "
                            + "capabilities, mounts no host paths and passes none of its own environment to containers");
                }
            }
            return new RunOptions(string(m.get("user"), where + ".user"),
                    m.containsKey("allocateTty") && bool(m.get("allocateTty"), where + ".allocateTty"));
        }

        private List<EnvVar> envVars(Node node, String where, boolean valueRequired) {
            return list(node, where, (item, at) -> {
                Map<String, Node> m = mapping(item, at, Set.of("key", "value", "isRegex"));
                String key = required(m, "key", at, item);
                String value = string(m.get("value"), at + ".value");
                if (valueRequired && (value == null || value.isEmpty())) {
                    throw invalid(item, at + ": provide a non-empty value for " + key);
                }
                boolean regex = m.containsKey("isRegex") && bool(m.get("isRegex"), at + ".isRegex");
                if (regex) {
                    checkRegex(m.get("value"), value == null ? "" : value, at + ".value");
                }
                return new EnvVar(key, value == null ? "" : value, regex);
            });
        }

        private List<String> regexes(Node node, String where) {
            List<String> values = strings(node, where);
            for (int i = 0; i < values.size(); i++) {
                checkRegex(((SequenceNode) node).getValue().get(i), values.get(i), where + "[" + i + "]");
            }
            return values;
        }

        private void checkRegex(Node node, String regex, String where) {
            try {
                GoSemantics.compile(regex);
            } catch (IllegalArgumentException e) {
                throw invalid(node, where + ": " + e.getMessage());
            }
        }

        private List<String> nonEmpty(Node node, String where) {
            List<String> values = strings(node, where);
            if (values.stream().anyMatch(String::isEmpty)) {
                throw invalid(node, where + ": entries cannot be empty");
            }
            return values;
        }

        private Duration duration(Node node, String where) {
            String value = string(node, where);
            if (value == null) {
                return defaultStartupTimeout;
            }
            Matcher d = DURATION.matcher(value.trim());
            if (!d.matches()) {
                throw invalid(node, where + " must look like 30s, 2m or 500ms, was '" + value + "'");
            }
            long amount = Long.parseLong(d.group(1));
            return "ms".equals(d.group(2)) ? Duration.ofMillis(amount)
                    : "m".equals(d.group(2)) ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
        }

        private <T> List<T> list(Node node, String where, BiFunction<Node, String, T> item) {
            List<T> items = new ArrayList<>();
            List<Node> nodes = sequence(node, where);
            for (int i = 0; i < nodes.size(); i++) {
                items.add(item.apply(nodes.get(i), where + "[" + i + "]"));
            }
            return List.copyOf(items);
        }

        private String required(Map<String, Node> m, String key, String where, Node node) {
            String value = string(m.get(key), where + "." + key);
            if (value == null || value.isEmpty()) {
                throw invalid(node, where + ": " + key + " is required");
            }
            return value;
        }

        private Map<String, Node> mapping(Node node, String where, Set<String> known) {
            if (!(node instanceof MappingNode mapping)) {
                throw invalid(node, where + " must be a mapping (key: value)");
            }
            Map<String, Node> result = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                if (key == null) {
                    throw invalid(tuple.getKeyNode(), where + ": keys must be plain strings");
                }
                if (known != null && !known.contains(key)) {
                    throw invalid(tuple.getKeyNode(), "unknown key '" + key + "' in " + where
                            + (LEGACY_KEYS.contains(key) ? " (a legacy key today's container-structure-test ignores; remove it)"
                            : " (known: " + String.join(", ", new TreeSet<>(known)) + ")"));
                }
                if (result.put(key, tuple.getValueNode()) != null) {
                    throw invalid(tuple.getKeyNode(), where + ": key '" + key + "' appears twice");
                }
            }
            return result;
        }

        private List<Node> sequence(Node node, String where) {
            if (node == null || isNull(node)) {
                return List.of();
            }
            if (!(node instanceof SequenceNode seq)) {
                throw invalid(node, where + " must be a list");
            }
            return seq.getValue();
        }

        private List<String> strings(Node node, String where) {
            List<String> values = new ArrayList<>();
            for (Node item : sequence(node, where)) {
                String value = string(item, where);
                values.add(value == null ? "" : value);
            }
            return List.copyOf(values);
        }

        private String string(Node node, String where) {
            if (node == null || isNull(node)) {
                return null;
            }
            if (!(node instanceof ScalarNode scalar)) {
                throw invalid(node, where + " must be a single value, not a " + (node instanceof SequenceNode ? "list" : "mapping"));
            }
            return scalar.getValue();
        }

        private int integer(Node node, String where) {
            String value = string(node, where);
            try {
                return Integer.decode(value == null ? "" : value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw invalid(node, where + " must be an integer, was '" + value + "'");
            }
        }

        private boolean bool(Node node, String where) {
            String value = string(node, where);
            String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
            return switch (v) {
                case "true", "yes", "on", "y" -> true;
                case "false", "no", "off", "n" -> false;
                default -> throw invalid(node, where + " must be true or false, was '" + value + "'");
            };
        }

        private boolean isNull(Node node) {
            return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
        }

        private InvalidSuite invalid(Node node, String message) {
            return new InvalidSuite(name + (node == null ? "" : ", line " + (node.getStartMark().getLine() + 1))
                    + ": " + message);
        }
    }
}

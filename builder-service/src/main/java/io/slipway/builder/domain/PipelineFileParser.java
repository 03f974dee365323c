package io.slipway.builder.domain;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code .slipway.yml} strictly: an unknown key, a value of the wrong type, a duplicate key, an invalid image
 * name or a path that leaves the repository is a {@link Reason#CONFIG_INVALID} failure naming the line, so a typo
 * never silently builds something else. The file is composed to YAML nodes only (no objects are constructed).
 */
public final class PipelineFileParser {

    static final List<String> KEYS = List.of("image", "dockerfile", "context", "target", "buildArgs", "tests", "timeout",
            "backend", "openstack");
    static final List<String> SERVER_KEYS = List.of("baseImage", "flavor", "network", "keyPair", "securityGroups");
    static final List<String> OPENSTACK_KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of("provision"));
        keys.addAll(SERVER_KEYS);
        keys.add("test");
        OPENSTACK_KEYS = List.copyOf(keys);
    }

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern IMAGE = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h)?");
    private static final int MAX_IMAGE_LENGTH = 200;

    private PipelineFileParser() {
    }

    /**
     * Parses the file's text; {@code defaultImage} is used when it names no image.
     *
     * @throws StageFailure with {@link Reason#CONFIG_INVALID}, naming the line
     */
    public static PipelineFile parse(String text, String defaultImage) {
        Node root = compose(text);
        Map<String, Node> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        if (root != null && !(root instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL))) {
            if (!(root instanceof MappingNode mapping)) {
                throw invalid(line(root), PipelineFile.PATH + " must be a mapping of keys (" + String.join(", ", KEYS) + ")");
            }
            mapping(mapping, KEYS, "", values, lines);
        }
        String image = values.containsKey("image") ? image(values.get("image")) : defaultImage;
        String context = values.containsKey("context") ? path(values.get("context"), "context", true) : "";
        String dockerfileInContext = values.containsKey("dockerfile")
                ? path(values.get("dockerfile"), "dockerfile", false) : "Dockerfile";
        String dockerfile = join(context, dockerfileInContext);
        String target = values.containsKey("target") ? string(values.get("target"), "target") : null;
        Map<String, String> buildArgs = values.containsKey("buildArgs") ? buildArgs(values.get("buildArgs")) : Map.of();
        List<String> tests = values.containsKey("tests") ? tests(values.get("tests")) : List.of();
        Duration timeout = values.containsKey("timeout") ? timeout(values.get("timeout")) : null;
        PipelineFile.Backend backend = values.containsKey("backend") ? backend(values.get("backend"))
                : PipelineFile.Backend.CONTAINER;
        PipelineFile.OpenStack openstack = null;
        if (values.containsKey("openstack")) {
            if (backend != PipelineFile.Backend.OPENSTACK) {
                throw invalid(lines.get("openstack"), "the 'openstack' block needs 'backend: openstack'");
            }
            openstack = openstack(values.get("openstack"), lines);
        } else if (backend == PipelineFile.Backend.OPENSTACK) {
            throw invalid(lines.get("backend"), "'backend: openstack' needs an 'openstack' block with at least "
                    + "'provision' (the provisioning script)");
        }
        return new PipelineFile(image, context, dockerfile, target, buildArgs, tests, timeout, backend, openstack,
                Map.copyOf(lines));
    }

    /** Reads the keys of {@code mapping} (each must be in {@code known}) into {@code values}, their lines under {@code prefix + key}. */
    private static void mapping(MappingNode mapping, List<String> known, String prefix, Map<String, Node> values,
                                Map<String, Integer> lines) {
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalarKey(tuple.getKeyNode());
            if (!known.contains(key)) {
                throw invalid(line(tuple.getKeyNode()), "unknown key '" + prefix + key + "' (known keys"
                        + (prefix.isEmpty() ? "" : " of '" + prefix.substring(0, prefix.length() - 1) + "'") + ": "
                        + String.join(", ", known) + ")");
            }
            if (values.put(key, tuple.getValueNode()) != null) {
                throw invalid(line(tuple.getKeyNode()), "key '" + prefix + key + "' is given twice");
            }
            lines.put(prefix + key, line(tuple.getKeyNode()));
        }
    }

    private static PipelineFile.Backend backend(Node node) {
        String value = string(node, "backend");
        return switch (value) {
            case "container" -> PipelineFile.Backend.CONTAINER;
            case "openstack" -> PipelineFile.Backend.OPENSTACK;
            default -> throw invalid(line(node), "'backend' must be container or openstack, not '" + value + "'");
        };
    }

    private static PipelineFile.OpenStack openstack(Node node, Map<String, Integer> lines) {
        if (!(node instanceof MappingNode mapping)) {
            throw invalid(line(node), "'openstack' must be a mapping (provision, " + String.join(", ", SERVER_KEYS)
                    + ", test), not " + kind(node));
        }
        Map<String, Node> values = new LinkedHashMap<>();
        mapping(mapping, OPENSTACK_KEYS, "openstack.", values, lines);
        if (!values.containsKey("provision")) {
            throw invalid(lines.get("openstack"), "the 'openstack' block needs 'provision': the path of the provisioning script");
        }
        String provision = path(values.get("provision"), "openstack.provision", false);
        PipelineFile.Server server = server(values, "openstack.");
        PipelineFile.Server test = PipelineFile.Server.DEFAULTS;
        if (values.containsKey("test")) {
            Node testNode = values.get("test");
            if (!(testNode instanceof MappingNode testMapping)) {
                throw invalid(line(testNode), "'openstack.test' must be a mapping (" + String.join(", ", SERVER_KEYS)
                        + "), not " + kind(testNode));
            }
            Map<String, Node> testValues = new LinkedHashMap<>();
            mapping(testMapping, SERVER_KEYS, "openstack.test.", testValues, lines);
            test = server(testValues, "openstack.test.");
        }
        return new PipelineFile.OpenStack(provision, server, test);
    }

    private static PipelineFile.Server server(Map<String, Node> values, String prefix) {
        List<String> groups = List.of();
        if (values.containsKey("securityGroups")) {
            Node node = values.get("securityGroups");
            if (!(node instanceof SequenceNode sequence)) {
                throw invalid(line(node), "'" + prefix + "securityGroups' must be a list of names, not " + kind(node));
            }
            groups = sequence.getValue().stream().map(item -> id(item, prefix + "securityGroups")).toList();
        }
        return new PipelineFile.Server(optionalId(values, "baseImage", prefix), optionalId(values, "flavor", prefix),
                optionalId(values, "network", prefix), optionalId(values, "keyPair", prefix), groups);
    }

    private static String optionalId(Map<String, Node> values, String key, String prefix) {
        return values.containsKey(key) ? id(values.get(key), prefix + key) : null;
    }

    /** An OpenStack id or name: text, or a number written without quotes (flavor ids often are). */
    private static String id(Node node, String key) {
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
            return scalar.getValue();
        }
        String value = string(node, key);
        if (value.isBlank()) {
            throw invalid(line(node), "'" + key + "' must not be empty");
        }
        return value;
    }

    private static Node compose(String text) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(20);
            options.setAllowRecursiveKeys(false);
            options.setCodePointLimit(256 * 1024);
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw invalid(line, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw invalid(1, "not valid YAML: " + e.getMessage());
        }
    }

    /** The image name used when {@code .slipway.yml} names none: the repository full name, lower-cased. */
    public static String defaultImage(String repositoryFullName) {
        String lower = repositoryFullName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._/-]", "-");
        return IMAGE.matcher(lower).matches() ? lower : lower.replaceAll("[^a-z0-9/]+", "-").replaceAll("(^-+|-+$)", "");
    }

    private static String image(Node node) {
        String image = string(node, "image");
        if (image.contains(":") || image.contains("@")) {
            throw invalid(line(node), "'image' is a repository name without registry or tag (the tag is the commit sha): '" + image + "'");
        }
        if (!IMAGE.matcher(image).matches() || image.length() > MAX_IMAGE_LENGTH) {
            throw invalid(line(node), "'image' must be a lower-case repository name like 'team/app' "
                    + "(letters, digits, '.', '_', '-', separated by '/'): '" + image + "'");
        }
        return image;
    }

    private static Map<String, String> buildArgs(Node node) {
        if (!(node instanceof MappingNode mapping)) {
            throw invalid(line(node), "'buildArgs' must be a mapping of NAME: value, not " + kind(node));
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = scalarKey(tuple.getKeyNode());
            if (!ARG_NAME.matcher(name).matches()) {
                throw invalid(line(tuple.getKeyNode()), "build arg name '" + name + "' is not a valid name");
            }
            if (!(tuple.getValueNode() instanceof ScalarNode value) || value.getTag().equals(Tag.NULL)) {
                throw invalid(line(tuple.getValueNode()), "build arg '" + name + "' must have a text, number or boolean value");
            }
            if (args.put(name, value.getValue()) != null) {
                throw invalid(line(tuple.getKeyNode()), "build arg '" + name + "' is given twice");
            }
        }
        return args;
    }

    private static List<String> tests(Node node) {
        if (!(node instanceof SequenceNode sequence)) {
            throw invalid(line(node), "'tests' must be a list of suite file paths, not " + kind(node));
        }
        List<String> tests = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            tests.add(path(item, "tests", false));
        }
        return List.copyOf(tests);
    }

    private static Duration timeout(Node node) {
        Matcher m = node instanceof ScalarNode scalar ? DURATION.matcher(scalar.getValue().trim()) : null;
        if (m == null || !m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw invalid(line(node), "'timeout' must be a duration like 90s, 20m or 1h");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** A repository-relative path that stays inside the repository; {@code "."} is the root when allowed. */
    private static String path(Node node, String key, boolean rootAllowed) {
        String raw = string(node, key);
        Path path = Path.of(raw).normalize();
        String normal = path.toString();
        if (raw.isBlank() || path.isAbsolute() || normal.equals("..") || normal.startsWith("../")
                || (!rootAllowed && normal.isEmpty())) {
            throw invalid(line(node), "'" + key + "' must be a relative path inside the repository: '" + raw + "'");
        }
        return normal;
    }

    private static String join(String context, String path) {
        return context.isEmpty() ? path : context + "/" + path;
    }

    private static String string(Node node, String key) {
        if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
            throw invalid(line(node), "'" + key + "' must be text, not " + kind(node));
        }
        return scalar.getValue();
    }

    private static String scalarKey(Node node) {
        if (!(node instanceof ScalarNode scalar)) {
            throw invalid(line(node), "keys must be plain names, not " + kind(node));
        }
        return scalar.getValue();
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        return tag.equals(Tag.NULL) ? "empty" : tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) ? "a number"
                : tag.equals(Tag.BOOL) ? "a boolean" : "'" + ((ScalarNode) node).getValue() + "'";
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    static StageFailure invalid(int line, String message) {
        return new StageFailure(Reason.CONFIG_INVALID, PipelineFile.PATH + " line " + line + ": " + message, false);
    }
}

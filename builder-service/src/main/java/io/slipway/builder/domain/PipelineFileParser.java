package io.slipway.builder.domain;

import io.slipway.common.glob.Glob;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.common.policy.Names;
import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.StrictYaml;
import io.slipway.common.yaml.YamlMap;
import io.slipway.common.yaml.YamlNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code .slipway.yml} strictly with common's {@link StrictYaml}: an unknown key, a value of the wrong type, a
 * duplicate key, an invalid image name, a path that leaves the repository or a {@code deploy:} block the deployer
 * could not honour (an environment name it never has, a smoke path that is not an absolute path on the deployment) is
 * a {@link Reason#CONFIG_INVALID} failure naming the line and the key, so a typo never silently builds (or deploys)
 * something else.
 */
public final class PipelineFileParser {

    static final List<String> KEYS = List.of("image", "dockerfile", "context", "target", "buildArgs", "tests", "timeout",
            "backend", "openstack", "paths", "deploy");
    static final List<String> PATHS_KEYS = List.of("include", "exclude");
    static final List<String> DEPLOY_KEYS = List.of("environments", "smoke");
    static final List<String> SMOKE_KEYS = List.of("path", "status", "contains");
    /** Most environments and most smoke checks a {@code deploy:} block may list. */
    static final int MAX_DEPLOY_ITEMS = 20;
    static final int MAX_CONTAINS_CHARS = 1024;
    static final List<String> SERVER_KEYS = List.of("baseImage", "flavor", "network", "keyPair", "securityGroups");
    static final List<String> OPENSTACK_KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of("provision"));
        keys.addAll(SERVER_KEYS);
        keys.add("test");
        OPENSTACK_KEYS = List.copyOf(keys);
    }

    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private PipelineFileParser() {
    }

    /**
     * Parses the file's text; {@code defaultImage} is used when it names no image.
     *
     * @throws StageFailure with {@link Reason#CONFIG_INVALID}, naming the line
     */
    public static PipelineFile parse(String text, String defaultImage) {
        try {
            Optional<YamlNode> root = StrictYaml.read(PipelineFile.PATH, text).filter(node -> !node.isNull());
            return read(root.isPresent() ? root.get().map(KEYS) : null, defaultImage);
        } catch (InvalidYaml e) {
            throw new StageFailure(Reason.CONFIG_INVALID, e.getMessage(), false);
        }
    }

    private static PipelineFile read(YamlMap top, String defaultImage) {
        Map<String, Integer> lines = new HashMap<>();
        if (top == null) {
            return new PipelineFile(defaultImage, "", "Dockerfile", null, Map.of(), List.of(), null,
                    PipelineFile.Backend.CONTAINER, null, PathFilter.NONE, null, Map.of());
        }
        lines.putAll(top.keyLines());
        String image = top.get("image").map(PipelineFileParser::image).orElse(defaultImage);
        String context = top.get("context").map(node -> path(node, true)).orElse("");
        String dockerfile = join(context, top.get("dockerfile").map(node -> path(node, false)).orElse("Dockerfile"));
        String target = top.get("target").map(YamlNode::text).orElse(null);
        Map<String, String> buildArgs = top.get("buildArgs").map(PipelineFileParser::buildArgs).orElse(Map.of());
        List<String> tests = top.get("tests").map(PipelineFileParser::tests).orElse(List.of());
        Duration timeout = top.get("timeout").map(YamlNode::duration).orElse(null);
        PipelineFile.Backend backend = top.get("backend").map(PipelineFileParser::backend)
                .orElse(PipelineFile.Backend.CONTAINER);
        PipelineFile.OpenStack openstack = null;
        if (top.has("openstack")) {
            if (backend != PipelineFile.Backend.OPENSTACK) {
                throw invalidYaml(top.keyLine("openstack"), "the 'openstack' block needs 'backend: openstack'");
            }
            openstack = openstack(top.get("openstack").orElseThrow().map(OPENSTACK_KEYS), lines);
        } else if (backend == PipelineFile.Backend.OPENSTACK) {
            throw invalidYaml(top.keyLine("backend"), "'backend: openstack' needs an 'openstack' block with at least "
                    + "'provision' (the provisioning script)");
        }
        PathFilter paths = PathFilter.NONE;
        if (top.has("paths")) {
            YamlMap block = top.get("paths").orElseThrow().map(PATHS_KEYS);
            lines.putAll(block.keyLines());
            paths = new PathFilter(globs(block, "include"), globs(block, "exclude"));
        }
        DeployIntent deploy = null;
        if (top.has("deploy")) {
            YamlMap block = top.get("deploy").orElseThrow().map(DEPLOY_KEYS);
            lines.putAll(block.keyLines());
            deploy = new DeployIntent(environments(block), smokeChecks(block));
        }
        return new PipelineFile(image, context, dockerfile, target, buildArgs, tests, timeout, backend, openstack,
                paths, deploy, Map.copyOf(lines));
    }

    /** {@code deploy.environments}: a non-empty list of distinct environment names, or absent (every allowed one). */
    private static List<String> environments(YamlMap block) {
        if (!block.has("environments")) {
            return List.of();
        }
        List<YamlNode> items = bounded(block.get("environments").orElseThrow(), "environments");
        if (items.isEmpty()) {
            throw block.get("environments").orElseThrow().invalid("must list at least one environment (leave "
                    + "'deploy.environments' out to deploy to every environment the operators allow)");
        }
        List<String> names = new ArrayList<>();
        for (YamlNode item : items) {
            String name = item.text();
            Optional<String> problem = Names.environmentProblem(name);
            if (problem.isPresent()) {
                throw item.invalid("must be an environment name (" + problem.get() + "), not " + item.shown());
            }
            if (names.contains(name)) {
                throw item.invalid("names '" + name + "' twice");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** {@code deploy.smoke}: HTTP checks, each with an absolute {@code path}, a {@code status} and a text to find. */
    private static List<DeployIntent.SmokeCheck> smokeChecks(YamlMap block) {
        if (!block.has("smoke")) {
            return List.of();
        }
        List<DeployIntent.SmokeCheck> checks = new ArrayList<>();
        for (YamlNode item : bounded(block.get("smoke").orElseThrow(), "smoke checks")) {
            YamlMap check = item.map(SMOKE_KEYS);
            YamlNode pathNode = check.required("path");
            String path = pathNode.text();
            Optional<String> problem = Names.smokePathProblem(path);
            if (problem.isPresent()) {
                throw pathNode.invalid("must be an absolute path on the deployment like /health (" + problem.get()
                        + "), not " + pathNode.shown());
            }
            int status = check.get("status").map(PipelineFileParser::status).orElse(200);
            String contains = check.get("contains").map(PipelineFileParser::contains).orElse(null);
            checks.add(new DeployIntent.SmokeCheck(path, status, contains));
        }
        return List.copyOf(checks);
    }

    private static List<YamlNode> bounded(YamlNode node, String what) {
        List<YamlNode> items = node.list();
        if (items.size() > MAX_DEPLOY_ITEMS) {
            throw node.invalid("may list at most " + MAX_DEPLOY_ITEMS + " " + what + ", not " + items.size());
        }
        return items;
    }

    private static int status(YamlNode node) {
        int status = node.integer();
        if (status < 100 || status > 599) {
            throw node.invalid("must be an HTTP status from 100 to 599, not " + status);
        }
        return status;
    }

    private static String contains(YamlNode node) {
        String text = node.scalar();
        if (text.isEmpty() || text.length() > MAX_CONTAINS_CHARS) {
            throw node.invalid("must be 1 to " + MAX_CONTAINS_CHARS + " characters long, not " + text.length());
        }
        return text;
    }

    /** {@code paths.include} or {@code paths.exclude}: a non-empty list of globs over repository paths, or absent. */
    private static List<Glob> globs(YamlMap block, String key) {
        if (!block.has(key)) {
            return List.of();
        }
        YamlNode node = block.get(key).orElseThrow();
        List<YamlNode> items = node.list();
        if (items.isEmpty()) {
            throw node.invalid("must list at least one glob (leave 'paths." + key + "' out to "
                    + (key.equals("include") ? "include every path)" : "exclude none)"));
        }
        List<Glob> globs = new ArrayList<>();
        for (YamlNode item : items) {
            try {
                globs.add(Glob.of(item.scalar()));
            } catch (IllegalArgumentException e) {
                throw item.invalid("is not a valid glob (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(globs);
    }

    private static PipelineFile.Backend backend(YamlNode node) {
        String value = node.text();
        return switch (value) {
            case "container" -> PipelineFile.Backend.CONTAINER;
            case "openstack" -> PipelineFile.Backend.OPENSTACK;
            default -> throw node.invalid("must be container or openstack, not " + node.shown());
        };
    }

    private static PipelineFile.OpenStack openstack(YamlMap block, Map<String, Integer> lines) {
        lines.putAll(block.keyLines());
        String provision = path(block.required("provision"), false);
        PipelineFile.Server server = server(block);
        PipelineFile.Server test = PipelineFile.Server.DEFAULTS;
        if (block.has("test")) {
            YamlMap testBlock = block.get("test").orElseThrow().map(SERVER_KEYS);
            lines.putAll(testBlock.keyLines());
            test = server(testBlock);
        }
        return new PipelineFile.OpenStack(provision, server, test);
    }

    private static PipelineFile.Server server(YamlMap block) {
        List<String> groups = block.get("securityGroups")
                .map(node -> node.list().stream().map(PipelineFileParser::id).toList()).orElse(List.of());
        return new PipelineFile.Server(optionalId(block, "baseImage"), optionalId(block, "flavor"),
                optionalId(block, "network"), optionalId(block, "keyPair"), groups);
    }

    private static String optionalId(YamlMap block, String key) {
        return block.get(key).map(PipelineFileParser::id).orElse(null);
    }

    /** An OpenStack id or name: text, or a number written without quotes (flavor ids often are). */
    private static String id(YamlNode node) {
        String value = node.kind() == YamlNode.Kind.NUMBER ? node.scalar() : node.text();
        if (value.isBlank()) {
            throw node.invalid("must not be empty");
        }
        return value;
    }

    /** The image name used when {@code .slipway.yml} names none: the repository's own ({@link ImageOwnership#ownName}). */
    public static String defaultImage(String repositoryFullName) {
        return ImageOwnership.ownName(repositoryFullName);
    }

    private static String image(YamlNode node) {
        String image = node.text();
        if (image.contains(":") || image.contains("@")) {
            throw node.invalid("is a repository name without registry or tag (the tag is the commit sha), not "
                    + node.shown());
        }
        if (!ImageOwnership.isImageName(image)) {
            throw node.invalid("must be a lower-case repository name like 'team/app' "
                    + "(letters, digits, '.', '_', '-', separated by '/'), not " + node.shown());
        }
        return image;
    }

    private static Map<String, String> buildArgs(YamlNode node) {
        YamlMap args = node.map();
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : args.keys()) {
            if (!ARG_NAME.matcher(name).matches()) {
                throw args.invalidKey(name, "is not a valid build arg name (letters, digits and '_')");
            }
            values.put(name, args.get(name).orElseThrow().scalar());
        }
        return values;
    }

    private static List<String> tests(YamlNode node) {
        return node.list().stream().map(item -> path(item, false)).toList();
    }

    /** A repository-relative path that stays inside the repository; {@code "."} is the root when allowed. */
    private static String path(YamlNode node, boolean rootAllowed) {
        String raw = node.text();
        Path path;
        try {
            path = Path.of(raw).normalize();
        } catch (InvalidPathException e) {
            throw node.invalid("must be a relative path inside the repository, not " + node.shown());
        }
        String normal = path.toString();
        if (raw.isBlank() || path.isAbsolute() || normal.equals("..") || normal.startsWith("../")
                || (!rootAllowed && normal.isEmpty())) {
            throw node.invalid("must be a relative path inside the repository, not " + node.shown());
        }
        return normal;
    }

    private static String join(String context, String path) {
        return context.isEmpty() ? path : context + "/" + path;
    }

    private static InvalidYaml invalidYaml(int line, String message) {
        return InvalidYaml.at(PipelineFile.PATH, line, message);
    }

    /** A {@link Reason#CONFIG_INVALID} failure at a line of {@code .slipway.yml}, in the reader's message form. */
    static StageFailure invalid(int line, String message) {
        return new StageFailure(Reason.CONFIG_INVALID, invalidYaml(line, message).getMessage(), false);
    }
}

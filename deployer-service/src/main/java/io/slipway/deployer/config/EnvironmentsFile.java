package io.slipway.deployer.config;

import io.slipway.common.glob.Glob;
import io.slipway.common.policy.Names;
import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.StrictYaml;
import io.slipway.common.yaml.YamlMap;
import io.slipway.common.yaml.YamlNode;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.Environment;
import io.slipway.deployer.domain.Environments;
import io.slipway.deployer.domain.SmokeCheck;
import io.slipway.deployer.domain.TargetFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads the operators' environments file strictly: an unknown key, a bad glob, URL, duration or smoke path, a target
 * {@code kind} no {@link TargetFactory} reads, an {@code after} that names no environment, or a promotion cycle is an
 * {@link InvalidYaml} naming the line, and the deployer does not start. Without {@code refs}, an environment takes the
 * default branch only.
 */
public final class EnvironmentsFile {

    private static final Set<String> TOP = Set.of("environments");
    private static final List<String> KEYS = List.of("repositories", "refs", "previews", "url", "smoke", "target",
            "after", "approval", "soak");
    private static final Set<String> SMOKE_KEYS = Set.of("path", "status", "contains");

    private final Map<String, TargetFactory> factories = new TreeMap<>();
    private final Function<String, String> secrets;
    private final String defaultBranch;

    /** {@code secrets} resolves the variables a target block names; {@code defaultBranch} e.g. {@code main}. */
    public EnvironmentsFile(List<TargetFactory> factories, Function<String, String> secrets, String defaultBranch) {
        factories.forEach(f -> this.factories.put(f.kind(), f));
        this.secrets = secrets;
        this.defaultBranch = defaultBranch;
    }

    /** The environments written in {@code text}; none when the file holds no document. */
    public Environments parse(String source, String text) {
        Optional<YamlNode> root = StrictYaml.read(source, text);
        if (root.isEmpty()) {
            return new Environments(List.of());
        }
        YamlMap top = root.get().map(TOP);
        if (top.optional("environments").isEmpty()) {
            return new Environments(List.of());
        }
        YamlMap blocks = top.required("environments").map();
        List<Environment> environments = new ArrayList<>();
        for (String name : blocks.keys()) {
            Names.environmentProblem(name).ifPresent(problem -> {
                throw blocks.invalidKey(name, "is not an environment name (" + problem + ")");
            });
            environments.add(environment(name, blocks.required(name)));
        }
        try {
            return new Environments(environments);
        } catch (IllegalArgumentException e) {
            throw InvalidYaml.at(source, 0, e.getMessage());
        }
    }

    private Environment environment(String name, YamlNode node) {
        YamlMap block = node.map(KEYS);
        List<Glob> repositories = globs(block.required("repositories"));
        List<Glob> refs = block.optional("refs").map(EnvironmentsFile::globs)
                .orElse(List.of(Glob.of("refs/heads/" + defaultBranch)));
        boolean previews = block.optional("previews").map(YamlNode::bool).orElse(false);
        String url = block.optional("url").map(EnvironmentsFile::url).orElse(null);
        List<SmokeCheck> smoke = block.optional("smoke").map(EnvironmentsFile::smoke).orElse(List.of());
        String after = block.optional("after").map(YamlNode::text).orElse(null);
        if (after != null && after.equals(name)) {
            throw block.required("after").invalid("names the environment itself");
        }
        boolean approval = block.optional("approval").map(YamlNode::bool).orElse(false);
        Duration soak = block.optional("soak").map(YamlNode::duration).orElse(Duration.ZERO);
        if (after == null && (approval || !soak.isZero())) {
            throw block.invalidKey(approval ? "approval" : "soak", "needs 'after': only a promotion waits");
        }
        return new Environment(name, repositories, refs, previews, url, smoke, after, approval, soak,
                target(name, block.required("target")));
    }

    private DeploymentTarget target(String environment, YamlNode node) {
        YamlMap block = node.map();
        String kind = block.required("kind").text();
        TargetFactory factory = factories.get(kind);
        if (factory == null) {
            throw block.required("kind").invalid("names no known target kind: '" + YamlNode.shorten(kind)
                    + "' (known: " + (factories.isEmpty() ? "none in this build" : String.join(", ", factories.keySet())) + ")");
        }
        return factory.create(environment, block, secrets);
    }

    private static List<Glob> globs(YamlNode node) {
        List<Glob> globs = new ArrayList<>();
        for (YamlNode item : node.list()) {
            try {
                globs.add(Glob.of(item.text()));
            } catch (IllegalArgumentException e) {
                throw item.invalid(e.getMessage());
            }
        }
        if (globs.isEmpty()) {
            throw node.invalid("must name at least one glob");
        }
        return globs;
    }

    private static String url(YamlNode node) {
        String text = node.text();
        try {
            URI uri = URI.create(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("not an http(s) URL without user, query or fragment");
            }
            return text;
        } catch (IllegalArgumentException e) {
            throw node.invalid("must be an http(s) URL like http://127.0.0.1:18080/, not '" + YamlNode.shorten(text)
                    + "'");
        }
    }

    /** Smoke checks as written in the environments file (the repository's own come in the run's events). */
    static List<SmokeCheck> smoke(YamlNode node) {
        List<SmokeCheck> checks = new ArrayList<>();
        for (YamlNode item : node.list()) {
            YamlMap check = item.map(SMOKE_KEYS);
            YamlNode path = check.required("path");
            SmokeCheck.pathProblem(path.text()).ifPresent(problem -> {
                throw path.invalid(problem);
            });
            int status = check.optional("status").map(YamlNode::integer).orElse(200);
            if (status < 100 || status > 599) {
                throw check.required("status").invalid("must be an HTTP status (100-599), not " + status);
            }
            checks.add(new SmokeCheck(path.text(), status, check.optional("contains").map(YamlNode::text).orElse(null)));
        }
        return checks;
    }
}

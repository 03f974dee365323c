package io.slipway.deployer.adapter.gitops;

import io.micronaut.context.annotation.Value;
import io.slipway.common.files.FileTrees;
import io.slipway.common.yaml.YamlMap;
import io.slipway.common.yaml.YamlNode;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.SecretVariables;
import io.slipway.deployer.domain.TargetFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.jgit.lib.PersonIdent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code target: {kind: gitops, ...}} block strictly (see docs/deploy-gitops.md) and makes the environment's
 * {@link GitOpsTarget}. Refused with the line: an unknown key, a missing url or path, a path that leaves the repository
 * ({@code ..}, absolute, inside {@code .git}), credentials in the url, a secret variable that is not set or empty,
 * keys of the other format. Work repositories live under {@code SLIPWAY_DEPLOYER_WORKDIR} (default: a temporary
 * directory).
 */
@Singleton
public final class GitOpsTargetFactory implements TargetFactory {

    static final String DEFAULT_AUTHOR = "Slipway <slipway@localhost>";
    private static final List<String> KEYS = List.of("kind", "url", "branch", "path", "format", "image", "value-path",
            "username", "password-env", "author", "render");
    private static final Pattern AUTHOR = Pattern.compile("([^<>]+?)\\s*<([^<>\\s]+@[^<>\\s]+|[^<>\\s@]+)>");
    private static final Pattern VALUE_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern SCHEME = Pattern.compile("(?i)(https?|file)://.+|[^:]+");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Duration GIT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration RENDER_TIMEOUT = Duration.ofMinutes(1);

    private final String workRoot;
    private Path workDir;
    private boolean temporary;

    @Inject
    public GitOpsTargetFactory(@Value("${slipway.deployer.workdir:}") String workRoot) {
        this.workRoot = workRoot;
    }

    @Override
    public String kind() {
        return "gitops";
    }

    @Override
    public DeploymentTarget create(String environment, YamlMap target, Function<String, String> secrets) {
        GitOpsSettings settings = settings(target, secrets);
        return new GitOpsTarget(environment, settings, workDir().resolve("gitops-" + environment),
                new KustomizeRender(List.of("kubectl", "kustomize"), RENDER_TIMEOUT), GIT_TIMEOUT, attempt -> { });
    }

    /** The settings of a gitops block, every value checked. */
    static GitOpsSettings settings(YamlMap block, Function<String, String> secrets) {
        YamlMap target = block.node().map(KEYS);
        YamlNode urlNode = target.required("url");
        String url = urlNode.text().trim();
        if (!SCHEME.matcher(url).matches()) {
            throw urlNode.invalid("must be a path, file://, http:// or https:// URL, not " + urlNode.shown());
        }
        if (hasUserInfo(url)) {
            throw urlNode.invalid("must not carry credentials (use username and password-env)");
        }
        String branch = target.optional("branch").map(YamlNode::text).orElse("main");
        if (!BRANCH.matcher(branch).matches() || branch.contains("..") || branch.startsWith("-")) {
            throw target.required("branch").invalid("must be a branch name, not '" + YamlNode.shorten(branch) + "'");
        }
        YamlNode pathNode = target.required("path");
        String path = pathNode.text();
        checkPath(pathNode, path);
        YamlNode formatNode = target.required("format");
        GitOpsSettings.Format format = switch (formatNode.text()) {
            case "kustomize" -> GitOpsSettings.Format.KUSTOMIZE;
            case "helm" -> GitOpsSettings.Format.HELM;
            default -> throw formatNode.invalid("must be kustomize or helm, not " + formatNode.shown());
        };
        String image = null;
        String valuePath = null;
        boolean render = false;
        if (format == GitOpsSettings.Format.KUSTOMIZE) {
            image = target.required("image").text();
            if (target.has("value-path")) {
                throw target.invalidKey("value-path", "is for format helm; kustomize writes the images entry 'image'");
            }
            render = target.optional("render").map(YamlNode::bool).orElse(true);
        } else {
            YamlNode valueNode = target.required("value-path");
            valuePath = valueNode.text();
            if (!VALUE_PATH.matcher(valuePath).matches()) {
                throw valueNode.invalid("must be a dotted path of keys like image.reference, not "
                        + valueNode.shown());
            }
            if (target.has("image")) {
                throw target.invalidKey("image", "is for format kustomize; helm writes value-path");
            }
            if (target.optional("render").map(YamlNode::bool).orElse(false)) {
                throw target.required("render").invalid("can only be true for format kustomize");
            }
        }
        String username = target.optional("username").map(YamlNode::text).orElse(null);
        String password = null;
        if (target.has("password-env")) {
            password = SecretVariables.value(target.required("password-env"), secrets);
            if (username == null) {
                throw target.missing("username");
            }
        } else if (username != null) {
            throw target.missing("password-env");
        }
        return new GitOpsSettings(url, branch, path, format, image, valuePath, username, password,
                author(target), render);
    }

    private static PersonIdent author(YamlMap target) {
        String author = target.optional("author").map(YamlNode::text).orElse(DEFAULT_AUTHOR);
        Matcher matcher = AUTHOR.matcher(author.strip());
        if (!matcher.matches()) {
            throw target.required("author").invalid("must be like 'Name <email>', not '" + YamlNode.shorten(author)
                    + "'");
        }
        return new PersonIdent(matcher.group(1), matcher.group(2));
    }

    private static void checkPath(YamlNode node, String path) {
        if (path.isBlank() || path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            throw node.invalid("must be a relative path inside the deployment repository, not " + node.shown());
        }
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.toLowerCase(Locale.ROOT).equals(".git")) {
                throw node.invalid("must stay inside the deployment repository (no '', '.', '..' or '.git' "
                        + "segment), not " + node.shown());
            }
        }
    }

    private static boolean hasUserInfo(String url) {
        if (!url.contains("://")) {
            return false;
        }
        try {
            return new URI(url).getRawUserInfo() != null;
        } catch (URISyntaxException e) {
            return url.substring(url.indexOf("://") + 3).split("/", 2)[0].contains("@");
        }
    }

    /** Deletes the work directory at shutdown when it is a temporary one this factory made. */
    @PreDestroy
    synchronized void close() throws IOException {
        if (temporary && workDir != null) {
            FileTrees.delete(workDir);
        }
    }

    private synchronized Path workDir() {
        if (workDir == null) {
            temporary = workRoot == null || workRoot.isBlank();
            try {
                workDir = temporary ? Files.createTempDirectory("slipway-deployer")
                        : Files.createDirectories(Path.of(workRoot));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make the deployer's work directory " + workRoot, e);
            }
        }
        return workDir;
    }
}

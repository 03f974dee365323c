package io.slipway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sample application as {@code ./slipway demo} sets it up: a copy of {@code examples/hello-app} plus Debian's
 * static busybox, its image named after the repository, committed in a work tree whose origin is a bare repository with trigger-service's
 * {@code post-receive} hook (installed by {@code hooks/install-hook.sh}). A push is a real {@code git push}; the
 * hook's answer names the run it started.
 */
final class SampleRepository {

    /** A push of {@code main}: the commit pushed and the run trigger-service answered with. */
    record Push(String sha, String runId) {
    }

    private static final Pattern ANSWER = Pattern.compile("-> HTTP (\\d{3}) .*\"runId\":\"([^\"]+)\"");
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path work;
    private final Path bare;

    private SampleRepository(String name, Path work, Path bare) {
        this.name = name;
        this.work = work;
        this.bare = bare;
    }

    /**
     * Creates the bare repository (hook notifying {@code hookUrl} of pushes to {@code announcedAs}) and a work tree
     * with the sample's first commit, its image named {@code name}.
     */
    static SampleRepository create(Path repo, Path dir, String name, String announcedAs, String hookUrl,
                                   Path secretFile) {
        Path bare = dir.resolve("origin.git");
        Path work = dir.resolve("work");
        git(dir, "init", "-q", "--bare", "--initial-branch=main", bare.toString());
        Commands.run(repo, Map.of(), GIT_TIMEOUT, repo.resolve("trigger-service/hooks/install-hook.sh").toString(),
                bare.toString(), "--url", hookUrl, "--secret-file", secretFile.toString(), "--repository", announcedAs);
        git(dir, "init", "-q", "--initial-branch=main", work.toString());
        copyTree(repo.resolve("examples/hello-app"), work);
        copy(Path.of("/bin/busybox"), work.resolve("busybox"));
        git(work, "config", "user.name", "Slipway E2E");
        git(work, "config", "user.email", "e2e@slipway.invalid");
        git(work, "remote", "add", "origin", bare.toString());
        SampleRepository sample = new SampleRepository(name, work, bare);
        // The sample names its image demo/hello-app; each test repository publishes under its own name instead.
        sample.commit("hello-app: a page served by busybox", ".slipway.yml",
                config -> config.replaceFirst("(?m)^image: .*$", "image: " + name));
        return sample;
    }

    String name() {
        return name;
    }

    /** Changes one file of the work tree and commits everything; returns the new commit's sha. */
    String commit(String message, String file, UnaryOperator<String> change) {
        return commit(message, Map.of(), work -> rewrite(work.resolve(file), change));
    }

    /**
     * Lets {@code edit} change the work tree (files, links) and commits everything with git's environment extended
     * by {@code gitEnv} (e.g. {@code GIT_COMMITTER_DATE}); returns the new commit's sha.
     */
    String commit(String message, Map<String, String> gitEnv, Consumer<Path> edit) {
        edit.accept(work);
        git(work, "add", "-A");
        Commands.run(work, gitEnv, GIT_TIMEOUT, "git", "commit", "-q", "-m", message);
        return git(work, "rev-parse", "HEAD").strip();
    }

    /** Replaces the text of {@code file} with {@code change} of it. */
    static void rewrite(Path file, UnaryOperator<String> change) {
        try {
            Files.writeString(file, change.apply(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code git push origin main}; fails unless the hook reports that trigger-service accepted the push (202). */
    Push push() {
        return push("main");
    }

    /** As {@link #push()}, of the work tree's {@code HEAD} to the bare repository's branch {@code branch}. */
    Push push(String branch) {
        String sha = git(work, "rev-parse", "HEAD").strip();
        String output = git(work, "push", "origin", "HEAD:refs/heads/" + branch);
        Matcher answer = ANSWER.matcher(output);
        if (!answer.find() || !answer.group(1).equals("202")) {
            throw new AssertionError("trigger-service did not accept the push of " + name + " " + sha + ":\n" + output);
        }
        return new Push(sha, answer.group(2));
    }

    /** The bare repository's URL, as a forge's payload names the repository to clone. */
    String cloneUrl() {
        return "file://" + bare;
    }

    /**
     * Writes the work tree's {@code main} into the bare repository as {@code ref} the way a forge writes a branch or
     * a request's {@code refs/pull/N/head}, without a push: no hook runs, nothing is announced. Returns its sha.
     */
    String writeRef(String ref) {
        git(bare, "fetch", "-q", work.toString(), "+refs/heads/main:" + ref);
        return git(work, "rev-parse", "HEAD").strip();
    }

    /** {@code git push origin main} whatever trigger-service answers: git's output, the hook's lines in it. */
    String pushAnswer() {
        return git(work, "push", "origin", "main");
    }

    private static String git(Path dir, String... args) {
        return Commands.run(dir, Map.of(), GIT_TIMEOUT, Stream.concat(Stream.of("git"), Stream.of(args))
                .toArray(String[]::new));
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> copy(p, to.resolve(from.relativize(p).toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            if (Files.isDirectory(from)) {
                Files.createDirectories(to);
            } else {
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

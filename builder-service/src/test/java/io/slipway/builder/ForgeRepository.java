package io.slipway.builder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bare repository standing in for a forge, written with the real {@code git} command: branches are pushed to it
 * from a work tree, and request refs ({@code refs/pull/N/head}, the merge ref) are written into it as forges do.
 */
public final class ForgeRepository {

    private final Path bare;
    private final Path work;

    private ForgeRepository(Path bare, Path work) {
        this.bare = bare;
        this.work = work;
    }

    /** An empty forge repository whose default branch is {@code main}, and a work tree to commit in. */
    public static ForgeRepository create(Path dir) {
        ForgeRepository forge = new ForgeRepository(dir.resolve("forge.git"), dir.resolve("work"));
        git(dir, "init", "-q", "--bare", "-b", "main", forge.bare.toString());
        git(dir, "init", "-q", "-b", "main", forge.work.toString());
        return forge;
    }

    /** The bare repository as a {@code file://} clone URL. */
    public String cloneUrl() {
        return bare.toUri().toString();
    }

    /** Switches the work tree to {@code branch}, creating it at {@code from} when given. */
    public void checkout(String branch, String from) {
        if (from == null) {
            git(work, "checkout", "-q", branch);
        } else {
            git(work, "checkout", "-q", "-b", branch, from);
        }
    }

    /** Writes the files, commits them on the current branch, returns the sha. */
    public String commit(String message, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = work.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                git(work, "add", file.getKey());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(work, "commit", "-q", "--allow-empty", "-m", message);
        return head();
    }

    /** Renames a file with {@code git mv} and commits; returns the sha. */
    public String rename(String from, String to) {
        try {
            Files.createDirectories(work.resolve(to).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(work, "mv", from, to);
        git(work, "commit", "-q", "-m", "move " + from + " to " + to);
        return head();
    }

    /** Pushes the current branch to the forge. */
    public void push() {
        git(work, "push", "-q", "-f", bare.toString(), "HEAD");
    }

    /** Points {@code ref} of the forge at {@code sha} of the work tree, as a forge writes {@code refs/pull/N/head}. */
    public void writeRef(String ref, String sha) {
        git(work, "push", "-q", "-f", bare.toString(), sha + ":" + ref);
    }

    /** Removes the file {@code path} and commits; returns the sha. */
    public String delete(String path) {
        git(work, "rm", "-q", path);
        git(work, "commit", "-q", "-m", "remove " + path);
        return head();
    }

    /**
     * Merges {@code head} into the forge's {@code target} branch without moving it (a merge commit whose first
     * parent is the target's tip and second the head), pushes that to {@code ref}, and returns its sha.
     */
    public String writeMergeRef(String ref, String target, String head) {
        String branch = git(work, "rev-parse", "--abbrev-ref", "HEAD").strip();
        git(work, "fetch", "-q", bare.toString(), "+refs/heads/" + target + ":refs/remotes/forge/" + target);
        git(work, "checkout", "-q", "--detach", "refs/remotes/forge/" + target);
        git(work, "merge", "-q", "--no-ff", "--no-edit", head);
        String merge = head();
        git(work, "push", "-q", "-f", bare.toString(), "HEAD:" + ref);
        git(work, "checkout", "-q", branch);
        return merge;
    }

    private String head() {
        return git(work, "rev-parse", "HEAD").strip();
    }

    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Ada Lovelace",
                "-c", "user.email=ada@example.test", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            // Git isolated from the machine's configuration, so no one's settings change what the test writes.
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

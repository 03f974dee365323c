package io.slipway.trigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real bare repository and a working clone pushing to it, in a temporary directory, with git isolated from
 * the machine's configuration; plus the trigger's hook installer, so tests push for real.
 */
public final class GitRepositories {

    private final Path tmp;
    private final Path bare;
    private final Path work;

    public GitRepositories(Path tmp, String bareName) throws IOException {
        this.tmp = tmp;
        Files.createDirectories(tmp.resolve("home"));
        this.bare = tmp.resolve(bareName);
        this.work = tmp.resolve("work");
        git(tmp, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
        git(tmp, "init", "--quiet", "--initial-branch=main", work.toString());
        git(work, "config", "user.name", "Ada \"Countess\" Lovelace");
        git(work, "config", "user.email", "ada@example.test");
        git(work, "remote", "add", "origin", bare.toString());
    }

    public Path bare() {
        return bare;
    }

    public Path work() {
        return work;
    }

    /** Installs trigger-service's post-receive hook with its documented installer; returns what it printed. */
    public String installHook(String url, Path secretFile, String... extraArgs) {
        String[] command = new String[6 + extraArgs.length];
        command[0] = script("install-hook.sh").toString();
        command[1] = bare.toString();
        command[2] = "--url";
        command[3] = url;
        command[4] = "--secret-file";
        command[5] = secretFile.toString();
        System.arraycopy(extraArgs, 0, command, 6, extraArgs.length);
        return run(tmp, command);
    }

    /** Commits a new file with the exact message given; returns the commit sha. */
    public String commit(String file, String message) throws IOException {
        Files.writeString(work.resolve(file), file + "\n");
        Path messageFile = Files.writeString(tmp.resolve("message.txt"), message);
        git(work, "add", file);
        git(work, "commit", "--quiet", "--cleanup=verbatim", "--file", messageFile.toString());
        return git(work, "rev-parse", "HEAD").strip();
    }

    public String git(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(dir, command);
    }

    /** Runs a command with git isolated from the machine's configuration; returns its output, failing on error. */
    public String run(Path dir, String... command) {
        return run(dir, Map.of(), command);
    }

    /** As {@link #run(Path, String...)}, with more environment variables. */
    public String run(Path dir, Map<String, String> environment, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.putAll(environment);
        env.put("HOME", tmp.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("home").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.keySet().removeIf(name -> name.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
            assertThat(process.exitValue()).as("exit code of %s; output:%n%s", List.of(command), output).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A script shipped in trigger-service/hooks. */
    public static Path script(String name) {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path inModule = dir.resolve("hooks").resolve(name);
        return Files.isRegularFile(inModule) ? inModule : dir.resolve("trigger-service/hooks").resolve(name);
    }
}

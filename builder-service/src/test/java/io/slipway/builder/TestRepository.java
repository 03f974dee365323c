package io.slipway.builder;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** A real git repository made by a test with JGit; fetched by the builder through its {@code file://} URL. */
public final class TestRepository implements AutoCloseable {

    private final Path dir;
    private final Git git;

    private TestRepository(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    public static TestRepository create(Path dir) {
        try {
            return new TestRepository(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public String cloneUrl() {
        return dir.toUri().toString();
    }

    public Path dir() {
        return dir;
    }

    /** Writes the files (a null content deletes the file) and commits them; returns the commit sha. */
    public String commit(String message, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = dir.resolve(file.getKey());
                if (file.getValue() == null) {
                    Files.deleteIfExists(path);
                    git.rm().addFilepattern(file.getKey()).call();
                    continue;
                }
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                if (file.getKey().endsWith(".sh")) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                git.add().addFilepattern(file.getKey()).call();
            }
            PersonIdent author = new PersonIdent("Ada Lovelace", "ada@example.test");
            return git.commit().setMessage(message).setAuthor(author).setCommitter(author).setAllowEmpty(true)
                    .call().name();
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Points {@code ref} (e.g. a forge's {@code refs/pull/7/head}) at {@code sha}, as a forge does for a request. */
    public void setRef(String ref, String sha) {
        try {
            RefUpdate update = git.getRepository().updateRef(ref);
            update.setNewObjectId(ObjectId.fromString(sha));
            update.setForceUpdate(true);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
                    && result != RefUpdate.Result.NO_CHANGE && result != RefUpdate.Result.FAST_FORWARD) {
                throw new IllegalStateException("could not set " + ref + ": " + result);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a symbolic link and commits it. */
    public String commitSymlink(String link, String target) {
        try {
            Files.createSymbolicLink(dir.resolve(link), Path.of(target));
            git.add().addFilepattern(link).call();
            PersonIdent author = new PersonIdent("Ada Lovelace", "ada@example.test");
            return git.commit().setMessage("link").setAuthor(author).setCommitter(author).call().name();
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}

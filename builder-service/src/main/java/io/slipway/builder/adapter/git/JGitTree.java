package io.slipway.builder.adapter.git;

import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.Sources;
import io.slipway.builder.domain.StageFailure;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

/**
 * The tree of one commit in a mirror: files are read straight from the object database, without a checkout. The
 * mirror stays in use (safe from pruning) until the tree is closed.
 */
final class JGitTree implements Sources.Tree {

    private final Repository repository;
    private final ObjectId tree;
    private final Mirrors.Use use;

    JGitTree(Repository repository, ObjectId tree, Mirrors.Use use) {
        this.repository = repository;
        this.tree = tree;
        this.use = use;
    }

    @Override
    public OptionalLong size(String path) {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, tree)) {
            if (walk == null || !isFile(walk.getFileMode(0))) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(repository.getObjectDatabase().open(walk.getObjectId(0)).getSize());
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public byte[] read(String path) {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, tree)) {
            if (walk == null) {
                throw new IllegalArgumentException(path + " is not in the tree");
            }
            return repository.open(walk.getObjectId(0)).getBytes();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public void export(Path directory) {
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            Path root = directory.toAbsolutePath().normalize();
            while (walk.next()) {
                Path target = root.resolve(walk.getPathString()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new StageFailure(Reason.SOURCE_UNAVAILABLE, "The commit has an unsafe path: " + walk.getPathString(), false);
                }
                Files.createDirectories(target.getParent());
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.SYMLINK) {
                    String link = new String(repository.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
                    Files.createSymbolicLink(target, Path.of(link));
                } else if (mode == FileMode.GITLINK) {
                    // A submodule: its directory stays empty (submodules are not fetched).
                    Files.createDirectories(target);
                } else {
                    try (OutputStream out = Files.newOutputStream(target)) {
                        repository.open(walk.getObjectId(0)).copyTo(out);
                    }
                    if (mode == FileMode.EXECUTABLE_FILE) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        } catch (IOException e) {
            throw new InfrastructureUnavailable(Reason.INFRASTRUCTURE, "Cannot write the workspace " + directory + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            repository.close();
        } finally {
            use.close();
        }
    }

    private static boolean isFile(FileMode mode) {
        return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
    }

    private static InfrastructureUnavailable unreadable(IOException e) {
        return new InfrastructureUnavailable(Reason.INFRASTRUCTURE, "Cannot read the mirror: " + e, e);
    }
}

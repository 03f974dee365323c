package io.slipway.builder.adapter.git;

import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.Sources;
import io.slipway.builder.domain.StageFailure;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The tree of one commit in a mirror: files are read straight from the object database, without a checkout. The
 * mirror stays in use (safe from pruning) until the tree is closed. Changed paths are every path whose entry differs
 * between the base's tree and the head's (added, deleted, modified, mode changed; a rename is its old and its new
 * path), without rename detection.
 */
final class JGitTree implements Sources.Tree {

    /**
     * What the run's changes count from.
     *
     * @param head         the run's sha (a request's head, also for a merge result)
     * @param base         a push's previous sha (null: the head's first parent), or the target branch's tip
     * @param targetBranch a request's target branch: changes count from the merge base of {@code base} and the head
     */
    record ChangeBase(ObjectId head, ObjectId base, String targetBranch) {
    }

    private final Repository repository;
    private final RevCommit commit;
    private final ObjectId tree;
    private final ChangeBase changeBase;
    private final Mirrors.Use use;

    JGitTree(Repository repository, RevCommit commit, ChangeBase changeBase, Mirrors.Use use) {
        this.repository = repository;
        this.commit = commit;
        this.tree = commit.getTree();
        this.changeBase = changeBase;
        this.use = use;
    }

    @Override
    public String commit() {
        return commit.name();
    }

    @Override
    public Sources.ChangedPaths changedPaths(Predicate<String> wanted) {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit head = walk.parseCommit(changeBase.head());
            RevCommit from;
            String comparedWith;
            if (changeBase.targetBranch() != null) {
                from = changeBase.base() == null ? null : mergeBase(changeBase.base(), head);
                comparedWith = changeBase.base() == null ? "no branch " + changeBase.targetBranch()
                        + " to compare with: every path of " + abbreviated(head) + " counts"
                        : from == null ? "no common history with " + changeBase.targetBranch() + ": every path of "
                        + abbreviated(head) + " counts"
                        : abbreviated(from) + ".." + abbreviated(head) + ", from the merge base with "
                        + changeBase.targetBranch();
            } else if (changeBase.base() != null) {
                from = walk.parseCommit(changeBase.base());
                comparedWith = abbreviated(from) + ".." + abbreviated(head) + ", the push";
            } else if (head.getParentCount() > 0) {
                from = walk.parseCommit(head.getParent(0));
                comparedWith = abbreviated(from) + ".." + abbreviated(head) + ", the commit itself";
            } else {
                from = null;
                comparedWith = "every path of the root commit " + abbreviated(head);
            }
            return walkChanges(from, head, wanted, comparedWith);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private RevCommit mergeBase(ObjectId target, RevCommit head) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(target));
            walk.markStart(walk.parseCommit(head));
            return walk.next();
        }
    }

    private Sources.ChangedPaths walkChanges(RevCommit from, RevCommit head, Predicate<String> wanted,
                                             String comparedWith) throws IOException {
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.setRecursive(true);
            walk.setFilter(TreeFilter.ANY_DIFF);
            if (from == null) {
                walk.addTree(new EmptyTreeIterator());
            } else {
                walk.addTree(from.getTree());
            }
            walk.addTree(head.getTree());
            long count = 0;
            while (walk.next()) {
                count++;
                String path = walk.getPathString();
                if (wanted.test(path)) {
                    return new Sources.ChangedPaths(comparedWith, count, path);
                }
            }
            return new Sources.ChangedPaths(comparedWith, count, null);
        }
    }

    private static String abbreviated(ObjectId id) {
        return id.abbreviate(7).name();
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

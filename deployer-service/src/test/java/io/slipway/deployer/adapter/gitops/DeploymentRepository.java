package io.slipway.deployer.adapter.gitops;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real bare git repository for the tests, and a second clone that pushes to it as another team member would. */
final class DeploymentRepository implements AutoCloseable {

    private final Path bare;
    private final Git other;
    private final Git bareGit;

    DeploymentRepository(Path dir, Map<String, String> files) throws Exception {
        bare = dir.resolve("deploy.git");
        bareGit = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call();
        other = Git.init().setDirectory(dir.resolve("other").toFile()).setInitialBranch("main").call();
        commitAndPush(files, "Initial manifests");
    }

    String url() {
        return bare.toUri().toString();
    }

    Path workTree() {
        return other.getRepository().getWorkTree().toPath();
    }

    /** Writes files in the other clone, commits and pushes them to main (after pulling what is there). */
    RevCommit commitAndPush(Map<String, String> files, String message) throws Exception {
        if (head() != null) {
            other.fetch().setRemote(url()).setRefSpecs(new RefSpec("+refs/heads/main:refs/remotes/origin/main")).call();
            other.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD)
                    .setRef("refs/remotes/origin/main").call();
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = workTree().resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        other.add().addFilepattern(".").call();
        RevCommit commit = other.commit().setMessage(message).setSign(false)
                .setAuthor(new PersonIdent("Ops", "ops@example.org")).setCommitter(new PersonIdent("Ops",
                        "ops@example.org")).call();
        other.push().setRemote(url()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
        return commit;
    }

    /** Commits a symbolic link in the other clone and pushes it. */
    void pushLink(String path, Path target) throws Exception {
        Path link = workTree().resolve(path);
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
        commitAndPush(Map.of(), "Link " + path);
    }

    RevCommit head() throws Exception {
        Repository repository = bareGit.getRepository();
        var id = repository.resolve(Constants.R_HEADS + "main");
        return id == null ? null : repository.parseCommit(id);
    }

    /** The first parent of {@code commit}, parsed. */
    RevCommit parent(RevCommit commit) throws Exception {
        return bareGit.getRepository().parseCommit(commit.getParent(0));
    }

    int commits() throws Exception {
        int count = 0;
        for (RevCommit ignored : bareGit.log().add(head()).call()) {
            count++;
        }
        return count;
    }

    /** The file as the bare repository's main branch has it. */
    String file(String path) throws Exception {
        Repository repository = bareGit.getRepository();
        try (TreeWalk walk = TreeWalk.forPath(repository, path, head().getTree())) {
            return new String(repository.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        other.close();
        bareGit.close();
    }
}

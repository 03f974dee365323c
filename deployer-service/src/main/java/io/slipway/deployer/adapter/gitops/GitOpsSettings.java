package io.slipway.deployer.adapter.gitops;

import org.eclipse.jgit.lib.PersonIdent;

import java.util.Objects;

/**
 * One environment's deployment repository as the operators configured it: where it is ({@code url}, {@code branch}),
 * which file holds the image ({@code path}, relative, checked to stay inside the repository) and how it is written
 * ({@code format}); {@code password} is the secret read from the variable the file names, never from the file.
 * {@link #toString()} never shows the password.
 */
record GitOpsSettings(String url, String branch, String path, Format format, String image, String valuePath,
                      String username, String password, PersonIdent author, boolean render) {

    /** How the file names the image. */
    enum Format { KUSTOMIZE, HELM }

    GitOpsSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(author, "author");
    }

    @Override
    public String toString() {
        return "GitOpsSettings[url=" + url + ", branch=" + branch + ", path=" + path + ", format=" + format
                + ", image=" + image + ", valuePath=" + valuePath + ", username=" + username + ", password="
                + (password == null ? "none" : "****") + ", author=" + author.getName() + " <"
                + author.getEmailAddress() + ">, render=" + render + "]";
    }
}

package io.slipway.builder.domain;

import java.nio.file.Path;
import java.util.OptionalLong;

/** Port: makes a commit of a repository available locally, fetching only what the local mirror lacks. */
public interface Sources {

    /**
     * The tree of {@code sha}.
     *
     * @throws StageFailure with {@link Reason#SOURCE_UNAVAILABLE} when the URL is refused or the commit does not exist
     * @throws InfrastructureUnavailable when the git server cannot be reached
     */
    Tree fetch(String repository, String cloneUrl, String sha);

    /** The files of one commit; close it when done. */
    interface Tree extends AutoCloseable {

        /** The size of the regular file at {@code path}, or empty when there is none. */
        OptionalLong size(String path);

        /** The bytes of the regular file at {@code path}; call only after {@link #size} found it. */
        byte[] read(String path);

        /** Writes the whole tree into {@code directory} (like {@code git archive}: no {@code .git}). */
        void export(Path directory);

        @Override
        void close();
    }
}

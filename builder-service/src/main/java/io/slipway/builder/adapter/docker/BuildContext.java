package io.slipway.builder.adapter.docker;

import com.github.dockerjava.core.GoLangFileMatch;
import com.github.dockerjava.core.exception.GoLangFileMatchException;
import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.StageFailure;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Writes a build context as {@code docker build} sends it: regular files and directories as they are, symbolic links
 * as link entries that are never followed, whatever they point to, and {@code .dockerignore} applied (the Dockerfile
 * and {@code .dockerignore} are always sent). The engine resolves every COPY/ADD source inside the context, so a link
 * to {@code /etc} or {@code ../..} can reach nothing outside it. The context directory and the Dockerfile must be
 * reached without links; hard-linked files, devices, fifos and sockets, an unreadable {@code .dockerignore} and a
 * context over the size limit are refused as {@link Reason#CONFIG_INVALID}, naming the path.
 */
final class BuildContext {

    /** Called before each entry and each chunk of a file; throws to stop archiving (timeout, cancellation). */
    @FunctionalInterface
    interface Checkpoint {
        void check();
    }

    /** The tar written, its size, and the Dockerfile's path inside it ({@code /}-separated). */
    record Archive(Path file, long bytes, String dockerfile) {
    }

    static final String IGNORE_FILE = ".dockerignore";
    static final long MAX_IGNORE_FILE_BYTES = 256 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final int REGULAR = 0100000;
    private static final int DIRECTORY = 040000;
    private static final int SYMLINK = 0120000;
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path workspace;
    private final long maxBytes;
    private final Checkpoint checkpoint;

    /**
     * @param workspace the checked-out commit; the context and the Dockerfile must lie inside it
     * @param maxBytes  the largest context (tar size) that is sent
     */
    BuildContext(Path workspace, long maxBytes, Checkpoint checkpoint) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.checkpoint = checkpoint;
    }

    /** Archives {@code context} into {@code target}, which must lie outside the context. */
    Archive write(Path context, Path dockerfile, Path target) {
        Path root = context.toAbsolutePath().normalize();
        String contextPath = inWorkspace(root, "context");
        requireReachedWithoutLinks(root, "context", true);
        Path file = dockerfile.toAbsolutePath().normalize();
        if (!file.startsWith(root)) {
            throw invalid("the Dockerfile '" + inWorkspace(file, "dockerfile") + "' is not inside the build context '"
                    + display(contextPath) + "'");
        }
        requireReachedWithoutLinks(file, "dockerfile", false);
        String dockerfileInContext = slashes(root.relativize(file));
        Ignores ignores = Ignores.read(root, Set.of(dockerfileInContext, IGNORE_FILE));
        try (Counting counting = new Counting(new BufferedOutputStream(Files.newOutputStream(target)));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(counting, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Deque<Path> directories = new ArrayDeque<>();
            directories.push(root);
            while (!directories.isEmpty()) {
                for (Path child : children(directories.pop())) {
                    checkpoint.check();
                    String name = slashes(root.relativize(child));
                    PosixFileAttributes attributes = Files.readAttributes(child, PosixFileAttributes.class, NO_FOLLOW);
                    if (attributes.isDirectory()) {
                        directories.push(child);
                    }
                    if (!ignores.excludes(name)) {
                        add(tar, counting, child, name, attributes);
                    }
                }
            }
            tar.finish();
            tar.flush();
            return new Archive(target, counting.count, dockerfileInContext);
        } catch (IOException e) {
            throw new InfrastructureUnavailable(Reason.INFRASTRUCTURE, "Cannot write the build context of "
                    + workspace + " to " + target + ": " + e, e);
        }
    }

    private void add(TarArchiveOutputStream tar, Counting counting, Path path, String name,
                     PosixFileAttributes attributes) throws IOException {
        int permissions = permissions(attributes.permissions());
        TarArchiveEntry entry;
        if (attributes.isSymbolicLink()) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
            entry.setMode(SYMLINK | 0777);
        } else if (attributes.isDirectory()) {
            entry = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
            entry.setMode(DIRECTORY | permissions);
        } else if (attributes.isRegularFile()) {
            Object links = Files.getAttribute(path, "unix:nlink", NO_FOLLOW);
            if (links instanceof Integer count && count > 1) {
                throw invalid("'" + display(name) + "' in the build context is a hard link (" + count
                        + " names); the build context takes only plain files, directories and symbolic links");
            }
            if (counting.count + attributes.size() > maxBytes) {
                throw tooLarge(name);
            }
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL);
            entry.setSize(attributes.size());
            entry.setMode(REGULAR | permissions);
        } else {
            throw invalid("'" + display(name) + "' in the build context is a device, fifo or socket; the build context"
                    + " takes only plain files, directories and symbolic links");
        }
        entry.setModTime(attributes.lastModifiedTime().toMillis());
        entry.setIds(0, 0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        if (attributes.isRegularFile()) {
            copy(path, attributes.size(), tar, name);
        }
        tar.closeArchiveEntry();
        if (counting.count > maxBytes) {
            throw tooLarge(name);
        }
    }

    /** Copies exactly the size the entry announced, so a file that changed meanwhile cannot corrupt the tar. */
    private void copy(Path path, long size, OutputStream out, String name) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long left = size;
        try (InputStream in = Files.newInputStream(path, NO_FOLLOW)) {
            while (left > 0) {
                checkpoint.check();
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new IOException(name + " shrank while it was archived");
                }
                out.write(buffer, 0, read);
                left -= read;
            }
        }
    }

    private static List<Path> children(Path directory) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(children::add);
        }
        children.sort(null);
        return children;
    }

    /** Every component from the workspace to {@code path} is a real directory (the last one a file when not). */
    private void requireReachedWithoutLinks(Path path, String key, boolean directory) {
        Path current = workspace;
        for (Path component : workspace.relativize(path)) {
            if (component.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(component);
            String shown = display(slashes(workspace.relativize(current)));
            if (Files.isSymbolicLink(current)) {
                throw invalid("'" + key + "': '" + shown + "' is a symbolic link; the build context and the Dockerfile"
                        + " must be reached through directories of the commit");
            }
            boolean last = current.equals(path);
            boolean wanted = last && !directory ? Files.isRegularFile(current, NO_FOLLOW)
                    : Files.isDirectory(current, NO_FOLLOW);
            if (!wanted) {
                throw invalid("'" + key + "': '" + shown + "' is not " + (last && !directory ? "a file" : "a directory")
                        + " of the commit");
            }
        }
        if (directory && !Files.isDirectory(path, NO_FOLLOW)) {
            throw invalid("'" + key + "': the workspace is not a directory");
        }
    }

    private String inWorkspace(Path path, String key) {
        if (!path.startsWith(workspace)) {
            throw invalid("'" + key + "' leaves the repository: " + path);
        }
        return slashes(workspace.relativize(path));
    }

    private StageFailure tooLarge(String name) {
        return invalid("the build context is larger than " + maxBytes + " bytes (reached at '" + display(name)
                + "'); leave files out with " + IGNORE_FILE + ", point 'context' at a smaller directory, or ask the"
                + " operator to raise SLIPWAY_BUILD_CONTEXT_MAX");
    }

    private static StageFailure invalid(String message) {
        return new StageFailure(Reason.CONFIG_INVALID, "Build context refused: " + message, false);
    }

    private static String display(String path) {
        return path.isEmpty() ? "." : path;
    }

    private static String slashes(Path relative) {
        return relative.toString().replace('\\', '/');
    }

    private static int permissions(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    /** {@code .dockerignore} as Docker reads it: comments, {@code !} exceptions, the last matching pattern wins. */
    private record Ignores(List<String> patterns, Set<String> alwaysSent) {

        static Ignores read(Path root, Set<String> alwaysSent) {
            Path file = root.resolve(IGNORE_FILE);
            if (!Files.exists(file, NO_FOLLOW)) {
                return new Ignores(List.of(), alwaysSent);
            }
            List<String> lines;
            try {
                if (!Files.isRegularFile(file, NO_FOLLOW) || Files.size(file) > MAX_IGNORE_FILE_BYTES) {
                    throw invalid(IGNORE_FILE + " must be a plain file of at most " + MAX_IGNORE_FILE_BYTES + " bytes");
                }
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw invalid(IGNORE_FILE + " cannot be read as UTF-8 text: " + e.getMessage());
            }
            List<String> patterns = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String pattern = pattern(lines.get(i).replace("\uFEFF", ""));
                if (pattern == null) {
                    continue;
                }
                try {
                    GoLangFileMatch.match(pattern.startsWith("!") ? pattern.substring(1) : pattern, "probe");
                } catch (GoLangFileMatchException e) {
                    throw invalid(IGNORE_FILE + " line " + (i + 1) + ": invalid pattern '" + pattern + "': "
                            + e.getMessage());
                }
                patterns.add(pattern);
            }
            return new Ignores(List.copyOf(patterns), alwaysSent);
        }

        /** A line reduced as Docker does: trimmed, cleaned, without a leading slash; null for blanks and comments. */
        private static String pattern(String line) {
            if (line.startsWith("#")) {
                return null;
            }
            String pattern = line.strip();
            boolean exception = pattern.startsWith("!");
            if (exception) {
                pattern = pattern.substring(1).strip();
            }
            if (pattern.isEmpty()) {
                return null;
            }
            try {
                pattern = Path.of(pattern).normalize().toString();
            } catch (InvalidPathException e) {
                throw invalid(IGNORE_FILE + ": invalid pattern '" + pattern + "': " + e.getReason());
            }
            while (pattern.length() > 1 && pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            return pattern.isEmpty() || pattern.equals("/") ? null : (exception ? "!" : "") + pattern;
        }

        boolean excludes(String name) {
            if (alwaysSent.contains(name)) {
                return false;
            }
            boolean excluded = false;
            for (String pattern : patterns) {
                boolean exception = pattern.startsWith("!");
                if (GoLangFileMatch.match(exception ? pattern.substring(1) : pattern, name)) {
                    excluded = !exception;
                }
            }
            return excluded;
        }
    }

    /** Counts the bytes written, for the size limit. */
    private static final class Counting extends FilterOutputStream {
        private long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}

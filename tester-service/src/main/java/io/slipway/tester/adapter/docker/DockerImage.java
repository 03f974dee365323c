package io.slipway.tester.adapter.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import io.slipway.tester.domain.GoSemantics.FileType;
import io.slipway.tester.domain.ImageUnderTest;
import io.slipway.tester.domain.Suite.RunOptions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pulled image on a Docker engine. Command tests get a fresh container each (setup steps committed as
 * intermediate images, removed afterwards; a test with setup steps keeps a writable root, since it reads what they
 * wrote); the filesystem is read through the archive API of one container that is
 * created but never started, as container-structure-test's docker driver does.
 */
final class DockerImage implements ImageUnderTest {

    static final String NOOP_COMMAND = "NOOP_COMMAND_DO_NOT_RUN";
    private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    private static final int MAX_SYMLINKS = 40;

    private final Sandbox sandbox;
    private final String reference;
    private final Config config;
    private String inspection;
    private List<FileEntry> entries;

    DockerImage(Sandbox sandbox, String reference, Config config) {
        this.sandbox = sandbox;
        this.reference = reference;
        this.config = config;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Exec run(List<List<String>> setup, List<String> env, List<String> argv, RunOptions options,
                    Duration deadline) {
        List<String> committed = new ArrayList<>();
        try {
            String base = reference;
            for (List<String> step : setup) {
                String id = sandbox.create(base, step, env, options, false, true, true);
                try {
                    Exec exec = sandbox.runToEnd(id, deadline);
                    if (exec.timedOut()) {
                        return new Exec(exec.exitCode(), exec.stdout(), "setup " + step + " did not finish in time\n"
                                + exec.stderr(), true);
                    }
                    base = sandbox.commit(id);
                    committed.add(base);
                } finally {
                    sandbox.remove(id);
                }
            }
            String id = sandbox.create(base, argv, env, options, false, true, !setup.isEmpty());
            try {
                return sandbox.runToEnd(id, deadline);
            } finally {
                sandbox.remove(id);
            }
        } finally {
            for (int i = committed.size() - 1; i >= 0; i--) {
                sandbox.removeImage(committed.get(i));
            }
        }
    }

    @Override
    public Optional<FileEntry> stat(String path) {
        return archive(path, in -> {
            TarArchiveEntry first = in.getNextEntry();
            return first == null ? null : entry(path, first);
        });
    }

    @Override
    public Optional<byte[]> read(String path) {
        String target = path;
        for (int hops = 0; hops < MAX_SYMLINKS; hops++) {
            String current = target;
            Optional<Object> found = archive(current, in -> {
                TarArchiveEntry first = in.getNextEntry();
                if (first == null || first.isDirectory()) {
                    return null;
                }
                if (first.isSymbolicLink()) {
                    return new Link(first.getLinkName());
                }
                return first.getSize() > MAX_FILE_BYTES ? in.readNBytes((int) MAX_FILE_BYTES) : in.readAllBytes();
            });
            if (found.isEmpty() || found.get() instanceof byte[]) {
                return found.map(byte[].class::cast);
            }
            String link = ((Link) found.get()).target();
            target = link.startsWith("/") ? link : parent(current) + "/" + link;
        }
        return Optional.empty();
    }

    @Override
    public List<FileEntry> walk() {
        if (entries == null) {
            entries = archive("/", in -> {
                List<FileEntry> all = new ArrayList<>();
                for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
                    all.add(entry("/" + name, e));
                }
                return List.copyOf(all);
            }).orElse(List.of());
        }
        return entries;
    }

    @Override
    public Service start(List<String> env, List<String> cmd, RunOptions options) {
        String id = sandbox.create(reference, cmd, env, options, true, false, false);
        Exec failed = sandbox.start(id);
        return new DockerService(sandbox, id, failed);
    }

    @Override
    public void abort() {
        sandbox.abort();
    }

    @Override
    public void close() {
        if (inspection != null) {
            sandbox.remove(inspection);
            inspection = null;
        }
    }

    private <T> Optional<T> archive(String path, TarReader<T> reader) {
        if (inspection == null) {
            inspection = sandbox.create(reference, List.of(NOOP_COMMAND), List.of(), RunOptions.DEFAULT, false, true,
                    false);
        }
        try (InputStream tar = sandbox.docker().copyArchiveFromContainerCmd(inspection, path).exec();
             TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
            return Optional.ofNullable(reader.read(in));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw DockerErrors.of("read " + path + " from " + reference, new UncheckedIOException(e));
        } catch (RuntimeException e) {
            throw DockerErrors.of("read " + path + " from " + reference, e);
        }
    }

    private static FileEntry entry(String path, TarArchiveEntry e) {
        FileType type = e.isDirectory() ? FileType.DIRECTORY : e.isSymbolicLink() ? FileType.SYMLINK
                : e.isLink() ? FileType.HARDLINK : e.isCharacterDevice() ? FileType.CHAR_DEVICE
                : e.isBlockDevice() ? FileType.BLOCK_DEVICE : e.isFIFO() ? FileType.FIFO
                : e.isFile() ? FileType.FILE : FileType.OTHER;
        return new FileEntry(path, type, e.getMode() & 07777, (int) e.getLongUserId(), (int) e.getLongGroupId(),
                e.getLinkName());
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "" : path.substring(0, slash);
    }

    @FunctionalInterface
    private interface TarReader<T> {
        T read(TarArchiveInputStream in) throws IOException;
    }

    private record Link(String target) {
    }
}

package io.slipway.builder.adapter.git;

import io.slipway.common.files.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The directory of cached bare mirrors, one per repository and clone URL: it knows which mirrors builds are using
 * (and serialises fetches into each of them), and prunes the others, least recently used first, when they were unused
 * for longer than {@link Limits#maxAge} or while all mirrors together take more than {@link Limits#maxBytes}. A mirror
 * in use is never pruned; a pruned mirror is simply fetched again by the next build that needs it. Pruning runs when
 * a build releases its mirror, at most once per {@link Limits#pruneInterval}. A pruned mirror is first moved into a
 * trash directory beside the root ({@code <root>.pruning}), never inside it, so no mirror name, whatever a repository
 * is called, can be taken for a leftover of pruning.
 */
public final class Mirrors {

    /** When mirrors are pruned; {@code maxBytes} 0 means no size limit. */
    public record Limits(Duration maxAge, long maxBytes, Duration pruneInterval) {
        /** Thirty days, 10 GiB, and pruning at most every ten minutes. */
        public static final Limits DEFAULT = new Limits(Duration.ofDays(30), 10L << 30, Duration.ofMinutes(10));

        public Limits {
            if (maxAge.isNegative() || maxAge.isZero() || maxBytes < 0) {
                throw new IllegalArgumentException("mirror limits must be positive: max age " + maxAge
                        + ", max size " + maxBytes + " bytes");
            }
        }
    }

    /** A mirror a build is using: fetch into {@link #dir} only while holding {@link #lock}; close to release it. */
    public final class Use implements AutoCloseable {
        private final Path dir;
        private final Users users;
        private final AtomicBoolean released = new AtomicBoolean();

        private Use(Path dir, Users users) {
            this.dir = dir;
            this.users = users;
        }

        public Path dir() {
            return dir;
        }

        /** The monitor that serialises fetches into this mirror. */
        public Object lock() {
            return users;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(this);
            }
        }
    }

    /** How many builds use a mirror; guarded by the {@link Mirrors} instance. */
    private static final class Users {
        private int count;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Mirrors.class);
    private static final String TRASH = ".pruning";

    private final Path root;
    private final Path trash;
    private final Limits limits;
    private final Clock clock;
    /** Only mirrors in use have an entry: the map is as large as the number of builds running. */
    private final Map<Path, Users> inUse = new HashMap<>();
    private Instant lastPrune = Instant.MIN;

    public Mirrors(Path root, Limits limits, Clock clock) {
        this.root = root;
        this.trash = root.resolveSibling(root.getFileName() + TRASH);
        this.limits = limits;
        this.clock = clock;
    }

    /** Marks the mirror {@code name} in use (and just used) until the returned use is closed. */
    public Use acquire(String name) {
        Path dir = root.resolve(name);
        Users users;
        synchronized (this) {
            users = inUse.computeIfAbsent(dir, d -> new Users());
            users.count++;
        }
        touch(dir);
        return new Use(dir, users);
    }

    private void release(Use use) {
        touch(use.dir);
        boolean due;
        synchronized (this) {
            if (--use.users.count == 0) {
                inUse.remove(use.dir);
            }
            due = !clock.instant().isBefore(lastPrune.plus(limits.pruneInterval()));
            if (due) {
                lastPrune = clock.instant();
            }
        }
        if (due) {
            try {
                prune();
            } catch (RuntimeException e) {
                LOG.warn("Could not prune the git mirrors in {}: {}", root, e.toString());
            }
        }
    }

    /** How many mirrors builds are using now. */
    public synchronized int inUse() {
        return inUse.size();
    }

    /**
     * Removes the mirrors no build uses that were last used longer than the maximum age ago, then, least recently
     * used first, as many as it takes to bring the total size under the maximum.
     *
     * @return the names of the mirrors removed
     */
    public List<String> prune() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        record Mirror(Path dir, Instant lastUsed, long bytes) {
        }
        emptyTrash();
        List<Mirror> mirrors = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path dir : entries.toList()) {
                if (Files.isDirectory(dir)) {
                    mirrors.add(new Mirror(dir, Files.getLastModifiedTime(dir).toInstant(), size(dir)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the git mirrors in " + root, e);
        }
        mirrors.sort(Comparator.comparing(Mirror::lastUsed));
        long total = mirrors.stream().mapToLong(Mirror::bytes).sum();
        Instant cutoff = clock.instant().minus(limits.maxAge());
        List<String> removed = new ArrayList<>();
        for (Mirror mirror : mirrors) {
            boolean tooOld = mirror.lastUsed().isBefore(cutoff);
            boolean tooBig = limits.maxBytes() > 0 && total > limits.maxBytes();
            if ((tooOld || tooBig) && remove(mirror.dir())) {
                total -= mirror.bytes();
                removed.add(mirror.dir().getFileName().toString());
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("Pruned {} git mirror(s) unused for {} or beyond {} bytes in all: {}", removed.size(),
                    limits.maxAge(), limits.maxBytes(), removed);
        }
        return removed;
    }

    /**
     * Moves an unused mirror into the trash (so no build can pick it up, and nothing under the root is ever deleted
     * for its name) and deletes it there; false when in use.
     */
    private boolean remove(Path dir) {
        Path doomed = trash.resolve(UUID.randomUUID() + "-" + dir.getFileName());
        synchronized (this) {
            if (inUse.containsKey(dir)) {
                return false;
            }
            try {
                Files.createDirectories(trash);
                Files.move(dir, doomed);
            } catch (IOException e) {
                LOG.warn("Could not prune the git mirror {}: {}", dir, e.toString());
                return false;
            }
        }
        delete(doomed);
        return true;
    }

    /** Deletes what an interrupted prune left in the trash; nothing there is a mirror any more. */
    private void emptyTrash() {
        if (!Files.isDirectory(trash)) {
            return;
        }
        try (Stream<Path> leftovers = Files.list(trash)) {
            leftovers.forEach(Mirrors::delete);
        } catch (IOException e) {
            LOG.warn("Could not empty {}: {}", trash, e.toString());
        }
    }

    private void touch(Path dir) {
        try {
            Files.setLastModifiedTime(dir, FileTime.from(clock.instant()));
        } catch (NoSuchFileException e) {
            // A new mirror: it is created when it is opened, and used from then on.
        } catch (IOException e) {
            LOG.debug("Could not mark the git mirror {} as used: {}", dir, e.toString());
        }
    }

    /**
     * The bytes of the regular files under {@code dir}. Files that vanish while they are counted are skipped: git
     * (JGit's background auto-gc after a fetch, too) creates and removes lock files in a mirror at any time.
     */
    private static long size(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                total[0] += attributes.isRegularFile() ? attributes.size() : 0;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                return skipVanished(e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                return e == null ? FileVisitResult.CONTINUE : skipVanished(e);
            }
        });
        return total[0];
    }

    private static FileVisitResult skipVanished(IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
        }
        throw e;
    }

    private static void delete(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("Could not delete {} completely: {}", dir, e.toString());
        }
    }
}

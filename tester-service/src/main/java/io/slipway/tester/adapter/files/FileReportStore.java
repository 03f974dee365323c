package io.slipway.tester.adapter.files;

import io.slipway.common.kafka.TransientFailure;
import io.slipway.tester.domain.ReportStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keeps JUnit reports as {@code <dir>/<runId>/<attempt>/junit.xml} and names them by the URL the tester serves
 * them at, {@code <publicUrl>/reports/<runId>/<attempt>}. Writes are atomic (temporary file, then move), so a reader
 * never sees half a report. Share the directory between instances (a volume) when several testers serve reports.
 */
public final class FileReportStore implements ReportStore {

    static final String FILE = "junit.xml";

    private final Path dir;
    private final String publicUrl;

    public FileReportStore(Path dir, String publicUrl) {
        this.dir = dir;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    @Override
    public String store(String runId, int attempt, String junitXml) {
        Path file = file(runId, attempt);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), FILE, ".part");
            Files.writeString(temporary, junitXml, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TransientFailure("cannot write the JUnit report to " + file + ": " + e.getMessage(), e);
        }
        return publicUrl + "/reports/" + safe(runId) + "/" + attempt;
    }

    /** The stored report of a run attempt, if there is one. */
    public Optional<Path> find(String runId, int attempt) {
        Path file = file(runId, attempt);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Deletes reports older than {@code retention}; returns how many run directories went. */
    public int purge(Duration retention) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(retention);
        int purged = 0;
        try (Stream<Path> runs = Files.list(dir)) {
            for (Path run : runs.toList()) {
                if (Files.getLastModifiedTime(run).toInstant().isBefore(cutoff)) {
                    try (Stream<Path> tree = Files.walk(run)) {
                        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                    purged++;
                }
            }
        }
        return purged;
    }

    private Path file(String runId, int attempt) {
        return dir.resolve(safe(runId)).resolve(Integer.toString(attempt)).resolve(FILE);
    }

    /** Run ids are UUIDs; anything else is reduced to characters that cannot leave the directory. */
    private static String safe(String runId) {
        String safe = runId.replaceAll("[^A-Za-z0-9_-]", "_");
        return safe.isEmpty() ? "_" : safe;
    }
}

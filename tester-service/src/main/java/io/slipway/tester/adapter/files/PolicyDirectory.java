package io.slipway.tester.adapter.files;

import io.slipway.common.kafka.TransientFailure;
import io.slipway.tester.domain.ProviderSuites;
import io.slipway.tester.domain.SuiteFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The provider's policy suites: every {@code *.yaml}/{@code *.yml} file directly in the configured directory, in
 * name order, read afresh for each run. No directory configured means no provider suites.
 */
public final class PolicyDirectory implements ProviderSuites {

    private final Path dir;

    /** {@code dir} may be null; when given it must be a directory (checked here, so a typo stops the tester). */
    public PolicyDirectory(Path dir) {
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("policy suite directory " + dir + " (SLIPWAY_TESTER_POLICY_DIR) "
                    + "is not a directory");
        }
        this.dir = dir;
    }

    @Override
    public List<SuiteFile> load() {
        if (dir == null) {
            return List.of();
        }
        List<SuiteFile> suites = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList()) {
                suites.add(new SuiteFile("policy/" + file.getFileName(), Files.readString(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new TransientFailure("cannot read the policy suites in " + dir + ": " + e.getMessage(), e);
        }
        return suites;
    }
}

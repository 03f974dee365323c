package io.slipway.builder.adapter.docker;

import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.StageFailure;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildContextTest {

    @TempDir
    Path tmp;

    private Path workspace() throws IOException {
        Path workspace = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(workspace.resolve("Dockerfile"), "FROM scratch\n");
        return workspace;
    }

    private Map<String, TarArchiveEntry> entries(Path tar) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream archive = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = archive.getNextEntry(); entry != null; entry = archive.getNextEntry()) {
                entries.put(entry.getName(), entry);
            }
        }
        return entries;
    }

    private BuildContext.Archive archive(Path workspace, Path context, long maxBytes) {
        return new BuildContext(workspace, maxBytes, () -> { }).write(context, context.resolve("Dockerfile"),
                tmp.resolve("context.tar"));
    }

    @Test
    void archivesLinksAsLinksWhereverTheyPointAndFilesWithTheirModes() throws Exception {
        Path ws = workspace();
        Files.createDirectories(ws.resolve("sub"));
        Files.writeString(ws.resolve("sub/run.sh"), "echo hi\n");
        Files.setPosixFilePermissions(ws.resolve("sub/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(ws.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(ws.resolve("up"), Path.of("../../.."));
        Files.createSymbolicLink(ws.resolve("lnk"), Path.of("sub"));

        BuildContext.Archive archive = archive(ws, ws, 1 << 20);

        Map<String, TarArchiveEntry> entries = entries(archive.file());
        assertThat(entries).containsOnlyKeys("Dockerfile", "etc", "lnk", "sub/", "sub/run.sh", "up");
        assertThat(entries.get("etc").isSymbolicLink()).isTrue();
        assertThat(entries.get("etc").getLinkName()).isEqualTo("/etc");
        assertThat(entries.get("up").getLinkName()).isEqualTo("../../..");
        assertThat(entries.get("lnk").isSymbolicLink()).isTrue();
        assertThat(entries.get("sub/").isDirectory()).isTrue();
        assertThat(entries.get("sub/run.sh").getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get("sub/run.sh").getSize()).isEqualTo(8);
        assertThat(entries.get("Dockerfile").getLongUserId()).isZero();
        assertThat(archive.dockerfile()).isEqualTo("Dockerfile");
        assertThat(archive.bytes()).isEqualTo(Files.size(archive.file()));
    }

    @Test
    void aContextThatIsALinkIsRefusedNamingThePath() throws Exception {
        Path ws = workspace();
        Files.createSymbolicLink(ws.resolve("e"), Path.of("/etc"));

        assertThatThrownBy(() -> new BuildContext(ws, 1 << 20, () -> { })
                .write(ws.resolve("e"), ws.resolve("e/hostname"), tmp.resolve("context.tar")))
                .isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.CONFIG_INVALID))
                .hasMessageContaining("'context': 'e' is a symbolic link");
    }

    @Test
    void aDockerfileThatIsALinkIsRefused() throws Exception {
        Path ws = workspace();
        Files.createDirectories(ws.resolve("app"));
        Files.createSymbolicLink(ws.resolve("app/Dockerfile"), Path.of("/etc/hostname"));

        assertThatThrownBy(() -> archive(ws, ws.resolve("app"), 1 << 20))
                .isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.CONFIG_INVALID))
                .hasMessageContaining("'dockerfile': 'app/Dockerfile' is a symbolic link");
    }

    @Test
    void aContextOutsideTheWorkspaceIsRefused() throws Exception {
        Path ws = workspace();

        assertThatThrownBy(() -> archive(ws, ws.resolve(".."), 1 << 20))
                .isInstanceOf(StageFailure.class).hasMessageContaining("'context' leaves the repository");
    }

    @Test
    void hardLinksAndFifosAreRefusedNamingThePath() throws Exception {
        Path ws = workspace();
        Files.writeString(tmp.resolve("host-secret"), "secret");
        Files.createLink(ws.resolve("secret"), tmp.resolve("host-secret"));

        assertThatThrownBy(() -> archive(ws, ws, 1 << 20))
                .isInstanceOf(StageFailure.class).hasMessageContaining("'secret' in the build context is a hard link");

        Files.delete(ws.resolve("secret"));
        Process mkfifo = new ProcessBuilder("mkfifo", ws.resolve("pipe").toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        assertThatThrownBy(() -> archive(ws, ws, 1 << 20))
                .isInstanceOf(StageFailure.class).hasMessageContaining("'pipe' in the build context is a device, fifo or socket");
    }

    @Test
    void aContextOverTheLimitIsRefusedNamingTheLimit() throws Exception {
        Path ws = workspace();
        Files.write(ws.resolve("big.bin"), new byte[64 * 1024]);

        assertThatThrownBy(() -> archive(ws, ws, 32 * 1024))
                .isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.CONFIG_INVALID))
                .hasMessageContaining("larger than 32768 bytes").hasMessageContaining("'big.bin'")
                .hasMessageContaining("SLIPWAY_BUILD_CONTEXT_MAX");
        assertThat(archive(ws, ws, 1 << 20).bytes()).isGreaterThan(64 * 1024);
    }

    @Test
    void dockerignoreLeavesFilesOutWithExceptionsButAlwaysSendsTheDockerfile() throws Exception {
        Path ws = workspace();
        Files.createDirectories(ws.resolve("build/keep"));
        Files.writeString(ws.resolve("build/out.o"), "x");
        Files.writeString(ws.resolve("build/keep/me.txt"), "x");
        Files.writeString(ws.resolve("notes.md"), "x");
        Files.writeString(ws.resolve("app.txt"), "x");
        Files.writeString(ws.resolve(".dockerignore"), "# comment\n/build\n!build/keep/me.txt\n*.md\nDockerfile\n\n");

        Map<String, TarArchiveEntry> entries = entries(archive(ws, ws, 1 << 20).file());

        assertThat(entries).containsOnlyKeys(".dockerignore", "Dockerfile", "app.txt", "build/keep/me.txt");
    }

    @Test
    void anInvalidIgnorePatternNamesItsLine() throws Exception {
        Path ws = workspace();
        Files.writeString(ws.resolve(".dockerignore"), "ok\n[z-\n");

        assertThatThrownBy(() -> archive(ws, ws, 1 << 20))
                .isInstanceOf(StageFailure.class).hasMessageContaining(".dockerignore line 2");
    }

    @Test
    void theCheckpointCanStopArchivingMidway() throws Exception {
        Path ws = workspace();
        for (int i = 0; i < 10; i++) {
            Files.writeString(ws.resolve("f" + i), "content " + i, StandardCharsets.UTF_8);
        }
        AtomicInteger calls = new AtomicInteger();
        BuildContext context = new BuildContext(ws, 1 << 20, () -> {
            if (calls.incrementAndGet() > 3) {
                throw new StageFailure(Reason.TIMEOUT, "deadline", true);
            }
        });

        assertThatThrownBy(() -> context.write(ws, ws.resolve("Dockerfile"), tmp.resolve("context.tar")))
                .isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.TIMEOUT));
        assertThat(calls.get()).isEqualTo(4);
    }
}

package io.slipway.openstack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OpenStackVmTesterTest {

    private OpenStackApiDouble api;
    private GuestSshd guest;
    private FakeTime time;
    private String image;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        api = new OpenStackApiDouble();
        guest = new GuestSshd();
        time = new FakeTime();
        api.onBoot = server -> guest.provision(server.userData);
        image = api.seedImage("acme-web-3f2c1a9b0c1d", "active", Map.of(SlipwayMetadata.RUN_ID, "run-1"),
                List.of("slipway"), "private");
    }

    @AfterEach
    void stop() throws IOException {
        guest.close();
        api.close();
    }

    @Test
    void runsEveryKindOfCheckOverSshOnAThrowawayServerAndDeletesIt() throws IOException {
        Path config = Files.writeString(dir.resolve("nginx.conf"), "listen 8080;\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));

        VmTestReport report = tester().test(new VmTestRequest("run-1", image, List.of(
                new VmCheck.Command("kernel", List.of("uname", "-s"), null, List.of("^Linux"), List.of("BSD"),
                        null, null),
                new VmCheck.Command("quoted argument", List.of("printf", "%s", "it's one word"), 0,
                        List.of("^it's one word$"), null, null, null),
                new VmCheck.FileExists("config", config.toString(), true, "-rw-r-----"),
                new VmCheck.FileExists("no debug marker", dir.resolve("DEBUG").toString(), false, null),
                new VmCheck.FileContent("listens on 8080", config.toString(), List.of("listen \\d+;"), List.of("debug")),
                new VmCheck.PortListening("sshd", guest.port()),
                new VmCheck.HttpResponds("identity answers", api.url() + "/", 300)), null));

        assertThat(report.results()).allSatisfy(result -> assertThat(result.passed()).as(result.detail()).isTrue());
        assertThat(report.passed()).isTrue();
        assertThat(report.imageId()).isEqualTo(image);
        assertThat(guest.logins).containsOnly("root");
        assertThat(api.servers()).isEmpty();
        assertThat(api.deletedServers()).hasSize(1);
    }

    @Test
    void bootsFromTheImageUnderTestWithOneOffKeysInCloudConfig() {
        List<OpenStackApiDouble.Guest> booted = new CopyOnWriteArrayList<>();
        api.onBoot = server -> {
            booted.add(server);
            guest.provision(server.userData);
        };

        tester().test(new VmTestRequest("run-1", image, List.of(), null));

        OpenStackApiDouble.Guest server = booted.get(0);
        assertThat(server.image).isEqualTo(image);
        assertThat(server.name).startsWith("slipway-test-");
        assertThat(server.metadata).containsEntry(SlipwayMetadata.MANAGED, SlipwayMetadata.TESTER)
                .containsEntry(SlipwayMetadata.RUN_ID, "run-1");
        assertThat(server.userData).startsWith("#cloud-config\n").contains("ssh_genkeytypes: []")
                .contains("BEGIN OPENSSH PRIVATE KEY").contains("ecdsa-sha2-nistp256");
        assertThat(server.request.has("key_name")).isFalse();
    }

    @Test
    void reportsFailingChecksWithWhatDifferedInsteadOfThrowing() {
        VmTestReport report = tester().test(new VmTestRequest("run-1", image, List.of(
                new VmCheck.Command("fails", List.of("sh", "-c", "echo oops >&2; exit 2"), null, null, null, null,
                        List.of("oops")),
                new VmCheck.FileExists("missing", dir.resolve("absent").toString(), true, null),
                new VmCheck.PortListening("nothing on 1", 1)), null));

        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).isEqualTo(3);
        assertThat(report.results().get(0).detail()).contains("exit code 2, expected 0", "stderr matches excluded oops");
        assertThat(report.results().get(1).detail()).contains("does not exist");
        assertThat(report.results().get(2).detail()).contains("nothing listens on TCP port 1");
        assertThat(api.servers()).isEmpty();
    }

    @Test
    void refusesAServerPresentingAnotherHostKeyAndStillDeletesIt() {
        api.onBoot = server -> {
            guest.provision(server.userData);
            guest.impersonate();
        };
        Instant started = time.instant();

        VmImageException failure = catchThrowableOfType(VmImageException.class,
                () -> tester().test(new VmTestRequest("run-1", image, List.of(), null)));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.TIMEOUT);
        assertThat(failure.getMessage()).contains("SSH to root@127.0.0.1");
        assertThat(failure.logExcerpt()).contains("last SSH error");
        assertThat(guest.commands).isEmpty();
        assertThat(Duration.between(started, time.instant())).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(api.servers()).isEmpty();
    }

    @Test
    void reportsImageNotFoundWithoutBootingWhenTheImageIsNotActive() {
        String killed = api.seedImage("acme-web-broken", "killed", Map.of(), List.of(), "private");

        VmImageException failure = catchThrowableOfType(VmImageException.class,
                () -> tester().test(new VmTestRequest("run-1", killed, List.of(), null)));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.IMAGE_NOT_FOUND);
        assertThat(api.count("POST", "^/compute/")).isZero();
    }

    @Test
    void sweepRemovesTestServersThisTesterLeft() {
        String left = api.seedServer("slipway-test-0a1b2c3d", "ACTIVE", Map.of(SlipwayMetadata.MANAGED,
                SlipwayMetadata.TESTER, SlipwayMetadata.OWNER, "builder-0",
                SlipwayMetadata.EXPIRES, time.instant().plus(Duration.ofHours(1)).toString()));

        SweepReport report = tester().sweep();

        assertThat(report.deletedServers()).containsExactly(left);
        assertThat(report.deletedImages()).isEmpty();
        assertThat(api.servers()).isEmpty();
    }

    private OpenStackVmTester tester() {
        Map<String, String> env = new HashMap<>(api.environment());
        env.put("SLIPWAY_OPENSTACK_SSH_PORT", String.valueOf(guest.port()));
        env.put("SLIPWAY_OPENSTACK_SSH_TIMEOUT", "1m");
        OpenStackCloud cloud = new OpenStackCloud(OpenStackSettings.fromEnvironment(env), time, time);
        return new OpenStackVmTester(cloud, VmTesterSettings.fromEnvironment(env));
    }
}

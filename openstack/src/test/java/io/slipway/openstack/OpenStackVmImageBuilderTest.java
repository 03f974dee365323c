package io.slipway.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class OpenStackVmImageBuilderTest {

    private static final String SHA = "3f2c1a9b0c1d4e5f60718293a4b5c6d7e8f90123";
    private static final String SCRIPT = "#!/bin/sh\nset -e\napt-get install -y nginx\n";

    private OpenStackApiDouble api;
    private FakeTime time;

    @BeforeEach
    void startApi() throws IOException {
        api = new OpenStackApiDouble();
        time = new FakeTime();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void buildsLabelledImageFromProvisionedServerAndDeletesTheServer() {
        VmImage image = builder().build(request());

        ObjectNode stored = api.image(image.imageId());
        assertThat(stored.path("status").asText()).isEqualTo("active");
        assertThat(stored.path("name").asText()).isEqualTo("acme-web-3f2c1a9b0c1d").isEqualTo(image.name());
        assertThat(stored.path(SlipwayMetadata.REVISION).asText()).isEqualTo(SHA);
        assertThat(stored.path(SlipwayMetadata.SOURCE).asText()).isEqualTo("https://git.example.com/acme/web");
        assertThat(stored.path(SlipwayMetadata.RUN_ID).asText()).isEqualTo("run-1");
        assertThat(stored.path(SlipwayMetadata.REPOSITORY).asText()).isEqualTo("acme/web");
        assertThat(stored.path(SlipwayMetadata.STATE).asText()).isEqualTo(SlipwayMetadata.BUILT);
        assertThat(stored.path(SlipwayMetadata.MANAGED).asText()).isEqualTo(SlipwayMetadata.BUILDER);
        assertThat(stored.path("image_type").asText()).isEqualTo("snapshot");
        assertThat(stored.path("tags").toString()).contains("\"slipway\"", SHA);
        assertThat(image.imageServiceUrl()).isEqualTo(api.url() + "/image");
        assertThat(image.properties()).containsEntry(SlipwayMetadata.REVISION, SHA);

        assertThat(api.servers()).isEmpty();
        assertThat(api.deletedServers()).hasSize(1);
        assertThat(api.count("POST", "/auth/tokens")).isEqualTo(1);
        assertThat(api.authRequests().get(0).path("auth").path("identity").path("methods").get(0).asText())
                .isEqualTo("application_credential");
    }

    @Test
    void bootsFromConfiguredImageAndFlavorWithTheScriptAsUserDataAndSlipwayMetadata() {
        List<JsonNode> boots = new ArrayList<>();
        api.onBoot = guest -> boots.add(guest.request);

        builder().build(request());

        JsonNode boot = boots.get(0);
        assertThat(boot.path("imageRef").asText()).isEqualTo(OpenStackApiDouble.BASE_IMAGE);
        assertThat(boot.path("flavorRef").asText()).isEqualTo(OpenStackApiDouble.FLAVOR);
        assertThat(boot.path("networks").get(0).path("uuid").asText()).isEqualTo(OpenStackApiDouble.NETWORK);
        assertThat(boot.path("name").asText()).isEqualTo("slipway-build-acme-web-3f2c1a9b0c1d");
        assertThat(boot.path("metadata").path(SlipwayMetadata.MANAGED).asText()).isEqualTo("builder");
        assertThat(boot.path("metadata").path(SlipwayMetadata.RUN_ID).asText()).isEqualTo("run-1");
        assertThat(boot.path("metadata").path(SlipwayMetadata.OWNER).asText()).isEqualTo("builder-0");
        assertThat(Instant.parse(boot.path("metadata").path(SlipwayMetadata.EXPIRES).asText()))
                .isAfter(time.instant());
        String userData = new String(Base64.getDecoder().decode(boot.path("user_data").asText()), StandardCharsets.UTF_8);
        assertThat(userData).startsWith("#!/bin/sh").contains(Base64.getEncoder()
                .encodeToString(SCRIPT.getBytes(StandardCharsets.UTF_8)).substring(0, 40));
        assertThat(api.count("POST", "/action")).isGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource({"413, nova/quota-over-limit-413.json, cores", "403, nova/quota-forbidden-403.json, instances"})
    void reportsQuotaExceededWhenNovaRefusesTheServer(int status, String body, String resource) {
        api.failNext("POST", "^/compute/v2\\.1/servers$", 1, status, body);

        VmImageException failure = catchThrowableOfType(VmImageException.class, () -> builder().build(request()));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.QUOTA_EXCEEDED);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("Quota exceeded for " + resource);
        assertThat(api.servers()).isEmpty();
        assertThat(api.images()).hasSize(1);
    }

    @Test
    void deletesServerThatWentToErrorAndReportsNovasFault() {
        api.bootFails = true;

        VmImageException failure = catchThrowableOfType(VmImageException.class, () -> builder().build(request()));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.SERVER_ERROR);
        assertThat(failure.getMessage()).contains("No valid host was found");
        assertThat(failure.logExcerpt()).contains("NoValidHost");
        assertThat(api.servers()).isEmpty();
        assertThat(api.deletedServers()).hasSize(1);
    }

    @Test
    void failsWithTimeoutAndDeletesServerWhenProvisioningNeverReportsDone() {
        api.provisionExit = null;
        Instant started = time.instant();

        VmImageException failure = catchThrowableOfType(VmImageException.class, () -> builder().build(request()));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.TIMEOUT);
        assertThat(failure.getMessage()).contains("provisioning");
        assertThat(failure.logExcerpt()).contains("running 'modules:final'");
        assertThat(Duration.between(started, time.instant())).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
        assertThat(api.servers()).isEmpty();
        assertThat(api.count("POST", "/action")).isGreaterThan(100);
        assertThat(api.images()).hasSize(1);
    }

    @Test
    void reportsProvisionFailedWithConsoleWhenTheScriptExitsNonZero() {
        api.provisionExit = 3;

        VmImageException failure = catchThrowableOfType(VmImageException.class, () -> builder().build(request()));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.PROVISION_FAILED);
        assertThat(failure.getMessage()).contains("exited with 3");
        assertThat(failure.logExcerpt()).contains("exit=3");
        assertThat(api.servers()).isEmpty();
        assertThat(api.images()).hasSize(1);
    }

    @Test
    void pollsThroughAComputeApiOutage() {
        api.failNext("GET", "^/compute/v2\\.1/servers/[^/]+$", 3, 503, "common/service-unavailable.html");

        VmImage image = builder().build(request());

        assertThat(api.image(image.imageId()).path("status").asText()).isEqualTo("active");
        assertThat(api.servers()).isEmpty();
    }

    @Test
    void reportsRetryableFailureWhileKeystoneIsDownAndBuildsOnceItIsBack() {
        api.failNext("POST", "/auth/tokens$", 4, 503, "common/service-unavailable.html");

        VmImageException failure = catchThrowableOfType(VmImageException.class, () -> builder().build(request()));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.INFRASTRUCTURE);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("HTTP 503");
        assertThat(api.count("POST", "^/compute/")).isZero();
        assertThat(api.count("GET", "^/compute/")).isZero();

        VmImage image = builder().build(request());

        assertThat(api.image(image.imageId()).path("status").asText()).isEqualTo("active");
    }

    @Test
    void deletesServerNovaCreatedWhenTheBootAnswerNeverArrives() {
        Map<String, String> env = new HashMap<>(api.environment());
        env.put("SLIPWAY_OPENSTACK_READ_TIMEOUT", "300ms");
        api.hangNext("POST", "^/compute/v2\\.1/servers$");

        VmImageException failure = catchThrowableOfType(VmImageException.class, () -> builder(env).build(request()));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.INFRASTRUCTURE);
        assertThat(failure.retryable()).isTrue();
        assertThat(api.servers()).isEmpty();
        assertThat(api.deletedServers()).hasSize(1);
    }

    @Test
    void deletesServerWhenTheBuilderIsShutDownMidBuild() {
        Map<String, String> env = new HashMap<>(api.environment());
        env.put("SLIPWAY_OPENSTACK_PROVISION_TIMEOUT", "1000h");
        api.provisionExit = null;
        OpenStackVmImageBuilder builder = builder(env);
        ExecutorService stage = Executors.newSingleThreadExecutor();
        try {
            Future<VmImage> build = stage.submit(() -> builder.build(request()));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.servers().stream().anyMatch(server -> server.consoleReads > 0));

            build.cancel(true);

            await().atMost(Duration.ofSeconds(20)).until(() -> api.servers().isEmpty());
            assertThat(api.deletedServers()).hasSize(1);
        } finally {
            stage.shutdownNow();
        }
    }

    @Test
    void deletesServerAndUnfinishedImageWhenGlanceKillsTheSnapshot() {
        api.snapshotKilled = true;

        VmImageException failure = catchThrowableOfType(VmImageException.class, () -> builder().build(request()));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.SNAPSHOT_FAILED);
        assertThat(api.servers()).isEmpty();
        assertThat(api.deletedImages()).hasSize(1);
        assertThat(api.images()).extracting(image -> image.path("id").asText())
                .containsExactly(OpenStackApiDouble.BASE_IMAGE);
    }

    @Test
    void rejectsAFlavorOutsideTheAllowListBeforeCallingTheCloud() {
        Map<String, String> env = new HashMap<>(api.environment());
        env.put("SLIPWAY_OPENSTACK_ALLOWED_FLAVORS", "1, 2");
        VmBuildRequest large = new VmBuildRequest("run-1", "acme/web", null, SHA, null, SCRIPT,
                new VmSpec(null, "m1.xlarge", null, null, null));

        assertThatThrownBy(() -> builder(env).build(large)).isInstanceOfSatisfying(VmImageException.class,
                failure -> assertThat(failure.reason()).isEqualTo(VmFailureReason.CONFIG_INVALID))
                .hasMessageContaining("m1.xlarge is not allowed");
        assertThat(api.count("POST", "/")).isZero();
    }

    @Test
    void reportsConfigInvalidWhenNovaDoesNotKnowTheFlavor() {
        VmBuildRequest unknown = new VmBuildRequest("run-1", "acme/web", null, SHA, null, SCRIPT,
                new VmSpec(null, "m1.huge", null, null, null));

        assertThatThrownBy(() -> builder().build(unknown)).isInstanceOfSatisfying(VmImageException.class,
                failure -> assertThat(failure.reason()).isEqualTo(VmFailureReason.CONFIG_INVALID))
                .hasMessageContaining("Flavor m1.huge could not be found");
    }

    @Test
    void reportsConfigInvalidWhenKeystoneRejectsTheCredentials() {
        Map<String, String> env = new HashMap<>(api.environment());
        env.put("OS_APPLICATION_CREDENTIAL_SECRET", "wrong");

        assertThatThrownBy(() -> builder(env).build(request())).isInstanceOfSatisfying(VmImageException.class,
                failure -> {
                    assertThat(failure.reason()).isEqualTo(VmFailureReason.CONFIG_INVALID);
                    assertThat(failure.getMessage()).contains("rejected the credentials")
                            .doesNotContain("wrong");
                });
    }

    @Test
    void authenticatesWithAPasswordScopedToTheProject() {
        Map<String, String> env = new HashMap<>(api.environment());
        env.remove("OS_AUTH_TYPE");
        env.remove("OS_APPLICATION_CREDENTIAL_ID");
        env.remove("OS_APPLICATION_CREDENTIAL_SECRET");
        env.put("OS_USERNAME", OpenStackApiDouble.USER);
        env.put("OS_PASSWORD", OpenStackApiDouble.PASSWORD);
        env.put("OS_PROJECT_NAME", "ci");

        builder(env).build(request());

        JsonNode auth = api.authRequests().get(0).path("auth");
        assertThat(auth.path("identity").path("methods").get(0).asText()).isEqualTo("password");
        assertThat(auth.path("scope").path("project").path("name").asText()).isEqualTo("ci");
        assertThat(auth.path("scope").path("project").path("domain").path("name").asText()).isEqualTo("Default");
    }

    @Test
    void sweepRemovesWhatAKilledBuilderLeftAndSparesLiveWorkOfOtherBuilders() {
        String future = time.instant().plus(Duration.ofHours(1)).toString();
        String past = time.instant().minus(Duration.ofMinutes(1)).toString();
        String mine = api.seedServer("slipway-build-acme-web-1", "ACTIVE", managed("builder-0", future));
        String othersLive = api.seedServer("slipway-build-acme-web-2", "ACTIVE", managed("builder-1", future));
        String othersExpired = api.seedServer("slipway-build-acme-web-3", "ERROR", managed("builder-1", past));
        String notOurs = api.seedServer("slipway-lookalike", "ACTIVE", Map.of("owner", "someone"));
        String testerServer = api.seedServer("slipway-test-1", "ACTIVE",
                Map.of(SlipwayMetadata.MANAGED, "tester", SlipwayMetadata.OWNER, "builder-0"));
        Map<String, String> building = new HashMap<>(managed("builder-0", future));
        building.put(SlipwayMetadata.STATE, SlipwayMetadata.BUILDING);
        String unfinished = api.seedImage("acme-web-1", "saving", building, List.of(), "private");
        Map<String, String> built = new HashMap<>(building);
        built.put(SlipwayMetadata.STATE, SlipwayMetadata.BUILT);
        String artifact = api.seedImage("acme-web-0", "active", built, List.of("slipway"), "private");

        SweepReport report = builder().sweep();

        assertThat(report.deletedServers()).containsExactlyInAnyOrder(mine, othersExpired);
        assertThat(report.deletedImages()).containsExactly(unfinished);
        assertThat(report.failures()).isEmpty();
        assertThat(api.servers()).extracting(guest -> guest.id)
                .containsExactlyInAnyOrder(othersLive, notOurs, testerServer);
        assertThat(api.image(artifact)).isNotNull();
    }

    private static Map<String, String> managed(String owner, String expires) {
        return Map.of(SlipwayMetadata.MANAGED, SlipwayMetadata.BUILDER, SlipwayMetadata.OWNER, owner,
                SlipwayMetadata.EXPIRES, expires, SlipwayMetadata.RUN_ID, "run-0", SlipwayMetadata.JOB_ID, "job-0");
    }

    private static VmBuildRequest request() {
        return new VmBuildRequest("run-1", "acme/web", "https://git.example.com/acme/web", SHA, "refs/heads/main",
                SCRIPT, null);
    }

    private OpenStackVmImageBuilder builder() {
        return builder(api.environment());
    }

    private OpenStackVmImageBuilder builder(Map<String, String> env) {
        OpenStackCloud cloud = new OpenStackCloud(OpenStackSettings.fromEnvironment(env), time, time);
        return new OpenStackVmImageBuilder(cloud, VmBuilderSettings.fromEnvironment(env));
    }
}

package io.slipway.openstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisioningScriptTest {

    @TempDir
    Path dir;

    @Test
    void wrapperRunsTheScriptThenCleansCloudInitAndReportsExitZeroOnTheConsole() throws Exception {
        String output = run("#!/bin/sh\necho installing nginx\n", "job-1");

        assertThat(output).contains("installing nginx", "SLIPWAY-PROVISION-DONE job-1 exit=0");
        assertThat(ProvisioningScript.exitCode(Files.readString(dir.resolve("console")), "job-1")).contains(0);
        assertThat(Files.readString(dir.resolve("cloud-init-calls"))).isEqualTo("clean --logs\n");
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void wrapperReportsTheExitCodeOfAScriptWithoutShebangAndKeepsCloudInitState() throws Exception {
        run("echo 'it''s broken' >&2\nexit 3\n", "job-2");

        assertThat(ProvisioningScript.exitCode(Files.readString(dir.resolve("console")), "job-2")).contains(3);
        assertThat(dir.resolve("cloud-init-calls")).doesNotExist();
    }

    @Test
    void userDataNeverContainsTheMarkerItself() {
        assertThat(ProvisioningScript.userData("echo SLIPWAY-PROVISION-DONE job-3 exit=0", "job-3"))
                .doesNotContain("SLIPWAY-PROVISION-DONE job-3 exit=0")
                .doesNotContain("SLIPWAY-PROVISION-DONE");
    }

    @Test
    void ignoresTheMarkerOfAnotherJob() {
        assertThat(ProvisioningScript.exitCode("SLIPWAY-PROVISION-DONE job-9 exit=0\n", "job-4")).isEmpty();
        assertThat(ProvisioningScript.exitCode("[ 41.2] SLIPWAY-PROVISION-DONE job-4 exit=12\r\n", "job-4"))
                .contains(12);
    }

    /** Runs the user data with the local /bin/sh; a stub cloud-init on the PATH records how it is called. */
    private String run(String script, String job) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path cloudInit = Files.writeString(bin.resolve("cloud-init"),
                "#!/bin/sh\necho \"$@\" >> '" + dir.resolve("cloud-init-calls") + "'\n");
        Files.setPosixFilePermissions(cloudInit, PosixFilePermissions.fromString("rwx------"));
        Path userData = Files.writeString(dir.resolve("user-data"), ProvisioningScript.userData(script, job,
                dir.resolve("work").toString(), dir.resolve("console").toString()));
        ProcessBuilder shell = new ProcessBuilder("/bin/sh", userData.toString()).redirectErrorStream(true);
        shell.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = shell.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}

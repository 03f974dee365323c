package io.slipway.openstack;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provisioning protocol between the builder and the VM. The repository's script travels as cloud-init user
 * data inside a small wrapper: cloud-init runs it once at first boot (the {@code scripts_user} module), then the
 * wrapper removes it and cloud-init's per-instance state, and prints {@code SLIPWAY-PROVISION-DONE <job> exit=<n>}
 * to stdout and {@code /dev/console}; the builder reads it from Nova's console log ({@code os-getConsoleOutput}).
 */
final class ProvisioningScript {

    private static final Pattern MARKER = Pattern.compile("SLIPWAY-PROVISION-DONE (\\S+) exit=(\\d+)");

    private ProvisioningScript() {
    }

    /** The user data that runs {@code script} and reports its exit code for {@code jobId}. */
    static String userData(String script, String jobId) {
        return userData(script, jobId, "/var/lib/slipway-provision", "/dev/console");
    }

    /** As {@link #userData(String, String)}, working in {@code workDir} and reporting to {@code consoleDevice}. */
    static String userData(String script, String jobId, String workDir, String consoleDevice) {
        String encoded = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(script.getBytes(StandardCharsets.UTF_8));
        // The marker is assembled by printf so that no line of this script (even under sh -x) contains it literally.
        return """
                #!/bin/sh
                # Slipway provisioning wrapper: runs the repository's provisioning script once, then reports.
                slipway_job='%s'
                slipway_dir='%s'
                mkdir -p "$slipway_dir" && chmod 700 "$slipway_dir"
                base64 -d > "$slipway_dir/provision" <<'SLIPWAY_SCRIPT_END'
                %s
                SLIPWAY_SCRIPT_END
                chmod 700 "$slipway_dir/provision"
                if head -n 1 "$slipway_dir/provision" | grep -q '^#!'; then
                  "$slipway_dir/provision"
                else
                  sh "$slipway_dir/provision"
                fi
                slipway_exit=$?
                rm -rf "$slipway_dir"
                if [ "$slipway_exit" -eq 0 ] && command -v cloud-init >/dev/null 2>&1; then
                  cloud-init clean --logs >/dev/null 2>&1 || true
                fi
                sync
                slipway_marker=$(printf '%%s-%%s %%s exit=%%d' SLIPWAY PROVISION-DONE "$slipway_job" "$slipway_exit")
                echo "$slipway_marker"
                echo "$slipway_marker" > '%s' 2>/dev/null || true
                """.formatted(jobId, workDir, encoded, consoleDevice);
    }

    /** The provisioning exit code {@code consoleLog} reports for {@code jobId}, if it reports one yet. */
    static Optional<Integer> exitCode(String consoleLog, String jobId) {
        Matcher m = MARKER.matcher(consoleLog);
        while (m.find()) {
            if (m.group(1).equals(jobId)) {
                return Optional.of(Integer.parseInt(m.group(2)));
            }
        }
        return Optional.empty();
    }
}

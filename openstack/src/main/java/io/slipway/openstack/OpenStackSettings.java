package io.slipway.openstack;

import java.time.Duration;
import java.util.Map;

/**
 * Where the cloud is and how Slipway talks to it, shared by the three VM stages. {@link #fromEnvironment} reads the
 * standard OpenStack variables ({@code OS_AUTH_URL}, {@code OS_APPLICATION_CREDENTIAL_*} or {@code OS_USERNAME} /
 * {@code OS_PASSWORD} / {@code OS_PROJECT_*}, {@code OS_REGION_NAME}, {@code OS_INTERFACE}) plus
 * {@code SLIPWAY_OPENSTACK_*} knobs, so an openrc file or clouds.yaml export works as is.
 *
 * @param owner         written on every server and in-progress image; a restarted stage with the same owner sweeps them
 * @param lease         how long a server or in-progress image may live before any sweep removes it; keep it above
 *                      the longest build or test
 * @param apiAttempts   attempts for an idempotent API call that failed transiently (5xx, 429, unreachable)
 * @param retryBackoff  first pause between those attempts, doubled each time
 * @param pollInterval  pause between two status polls
 * @param bootTimeout   deadline for a server to become ACTIVE (and SHUTOFF after a stop)
 * @param cleanupTimeout deadline for a deleted server to disappear
 */
public record OpenStackSettings(String authUrl, OpenStackCredentials credentials, String region,
                                String endpointInterface, String owner, Duration lease, Duration connectTimeout,
                                Duration readTimeout, int apiAttempts, Duration retryBackoff, Duration pollInterval,
                                Duration bootTimeout, Duration cleanupTimeout) {

    public static OpenStackSettings fromEnvironment(Map<String, String> environment) {
        Env env = new Env(environment);
        String authUrl = env.required("OS_AUTH_URL");
        OpenStackCredentials.Ref userDomain = OpenStackCredentials.Ref.of(env.get("OS_USER_DOMAIN_ID", null),
                env.get("OS_USER_DOMAIN_NAME", null), "Default");
        String type = env.get("OS_AUTH_TYPE", env.get("OS_APPLICATION_CREDENTIAL_SECRET", null) != null
                ? "v3applicationcredential" : "password");
        OpenStackCredentials credentials;
        if (type.equals("v3applicationcredential")) {
            String id = env.get("OS_APPLICATION_CREDENTIAL_ID", null);
            String name = env.get("OS_APPLICATION_CREDENTIAL_NAME", null);
            String user = env.get("OS_USERNAME", null);
            if (id == null && (name == null || user == null)) {
                env.problem("OS_APPLICATION_CREDENTIAL_ID (or OS_APPLICATION_CREDENTIAL_NAME with OS_USERNAME) is not set");
            }
            credentials = new OpenStackCredentials.ApplicationCredential(id, name, user, userDomain,
                    env.required("OS_APPLICATION_CREDENTIAL_SECRET"));
        } else if (type.equals("password") || type.equals("v3password")) {
            String projectId = env.get("OS_PROJECT_ID", null);
            String projectName = env.get("OS_PROJECT_NAME", null);
            if (projectId == null && projectName == null) {
                env.problem("OS_PROJECT_ID or OS_PROJECT_NAME is not set");
            }
            credentials = new OpenStackCredentials.Password(env.required("OS_USERNAME"), userDomain,
                    env.required("OS_PASSWORD"), new OpenStackCredentials.Ref(projectId, projectName),
                    OpenStackCredentials.Ref.of(env.get("OS_PROJECT_DOMAIN_ID", null),
                            env.get("OS_PROJECT_DOMAIN_NAME", null), "Default"));
        } else {
            env.problem("OS_AUTH_TYPE " + type + " is not supported (v3applicationcredential, password)");
            credentials = null;
        }
        String endpointInterface = env.get("OS_INTERFACE", "public").replace("URL", "");
        if (!endpointInterface.matches("public|internal|admin")) {
            env.problem("OS_INTERFACE must be public, internal or admin: " + endpointInterface);
        }
        OpenStackSettings settings = new OpenStackSettings(authUrl, credentials, env.get("OS_REGION_NAME", null),
                endpointInterface, env.get("SLIPWAY_OPENSTACK_OWNER", env.get("HOSTNAME", "slipway")),
                env.duration("SLIPWAY_OPENSTACK_LEASE", Duration.ofHours(3)),
                env.duration("SLIPWAY_OPENSTACK_CONNECT_TIMEOUT", Duration.ofSeconds(10)),
                env.duration("SLIPWAY_OPENSTACK_READ_TIMEOUT", Duration.ofSeconds(60)),
                env.integer("SLIPWAY_OPENSTACK_API_ATTEMPTS", 4),
                env.duration("SLIPWAY_OPENSTACK_RETRY_BACKOFF", Duration.ofSeconds(2)),
                env.duration("SLIPWAY_OPENSTACK_POLL_INTERVAL", Duration.ofSeconds(5)),
                env.duration("SLIPWAY_OPENSTACK_BOOT_TIMEOUT", Duration.ofMinutes(10)),
                env.duration("SLIPWAY_OPENSTACK_CLEANUP_TIMEOUT", Duration.ofMinutes(5)));
        env.validate("OpenStack settings");
        return settings;
    }

    /** The Keystone v3 base URL: {@code OS_AUTH_URL} without trailing slash, {@code /v3} appended when missing. */
    public String identityUrl() {
        String url = authUrl.endsWith("/") ? authUrl.substring(0, authUrl.length() - 1) : authUrl;
        return url.endsWith("/v3") ? url : url + "/v3";
    }
}

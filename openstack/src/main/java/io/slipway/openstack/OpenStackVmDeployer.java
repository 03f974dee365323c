package io.slipway.openstack;

import org.openstack4j.model.compute.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Deploys VM images: boots the environment's new server from the Glance image, waits until it is ACTIVE, then deletes
 * the environment's previous servers of the same repository (found by the {@link SlipwayMetadata#ENVIRONMENT} and
 * {@link SlipwayMetadata#REPOSITORY} metadata). A server that goes to ERROR or misses the boot deadline is deleted
 * and the previous ones keep serving. Idempotent: a server of the environment already booted from the image is
 * waited for and kept, not booted twice. Deployed servers carry no lease: no sweep ever removes them.
 */
public final class OpenStackVmDeployer {

    /** Nova allows 255 characters in a server name; the name is for people, the metadata is what Slipway matches. */
    static final int MAX_NAME = 63;
    private static final Logger LOG = LoggerFactory.getLogger(OpenStackVmDeployer.class);

    private final OpenStackCloud cloud;
    private final Nova nova;

    public OpenStackVmDeployer(OpenStackCloud cloud) {
        this.cloud = cloud;
        this.nova = new Nova(cloud);
    }

    /**
     * Makes {@code deployment.environment()} run the image, as described above.
     *
     * @throws VmImageException SERVER_ERROR or TIMEOUT when the new server did not become ACTIVE (it was deleted),
     *                          INFRASTRUCTURE when the cloud could not be reached, CONFIG_INVALID for a refused request
     */
    public DeployedServer deploy(VmDeployment deployment) {
        Instant started = cloud.poller().clock().instant();
        cloud.authenticate();
        List<? extends Server> servers = nova.managed(SlipwayMetadata.DEPLOYER).stream()
                .filter(server -> deployment.environment().equals(server.getMetadata().get(SlipwayMetadata.ENVIRONMENT))
                        && deployment.repository().equals(server.getMetadata().get(SlipwayMetadata.REPOSITORY)))
                .toList();
        Optional<? extends Server> existing = servers.stream()
                .filter(server -> deployment.imageId().equals(server.getImageId())
                        && (server.getStatus() == Server.Status.ACTIVE || server.getStatus() == Server.Status.BUILD))
                .findFirst();
        String serverId;
        String name;
        if (existing.isPresent()) {
            serverId = existing.get().getId();
            name = existing.get().getName();
            LOG.info("Environment {}: server {} already runs image {}; waiting for it", deployment.environment(),
                    serverId, deployment.imageId());
        } else {
            String jobId = UUID.randomUUID().toString();
            name = name(deployment.environment(), deployment.repository(), jobId);
            serverId = nova.boot(name, deployment.imageId(), deployment.spec(), "", metadata(deployment, jobId))
                    .getId();
            LOG.info("Environment {}: booting {} ({}) from image {}", deployment.environment(), name, serverId,
                    deployment.imageId());
        }
        Server active;
        try {
            active = nova.await(serverId, Server.Status.ACTIVE, cloud.settings().bootTimeout());
        } catch (VmImageException e) {
            if (e.reason() != VmFailureReason.INFRASTRUCTURE) {
                deleteQuietly(serverId);
            }
            throw e;
        }
        List<String> deleted = new ArrayList<>();
        List<String> notDeleted = new ArrayList<>();
        for (Server previous : servers) {
            if (!previous.getId().equals(serverId)) {
                try {
                    nova.delete(previous.getId(), cloud.settings().cleanupTimeout());
                    deleted.add(previous.getId());
                } catch (VmImageException e) {
                    LOG.warn("Environment {}: previous server {} not deleted, the next deployment tries again: {}",
                            deployment.environment(), previous.getId(), e.getMessage());
                    notDeleted.add(previous.getId());
                }
            }
        }
        return new DeployedServer(serverId, name, address(active), deleted, notDeleted,
                Duration.between(started, cloud.poller().clock().instant()));
    }

    private Map<String, String> metadata(VmDeployment deployment, String jobId) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(SlipwayMetadata.MANAGED, SlipwayMetadata.DEPLOYER);
        metadata.put(SlipwayMetadata.ENVIRONMENT, deployment.environment());
        metadata.put(SlipwayMetadata.REPOSITORY, deployment.repository());
        metadata.put(SlipwayMetadata.RUN_ID, deployment.runId());
        if (deployment.commitSha() != null) {
            metadata.put(SlipwayMetadata.REVISION, deployment.commitSha());
        }
        metadata.put(SlipwayMetadata.JOB_ID, jobId);
        metadata.put(SlipwayMetadata.OWNER, cloud.settings().owner());
        return metadata;
    }

    /** {@code slipway-<environment>-<owner>-<name>-<short id>}, lower case, other characters as {@code -}. */
    static String name(String environment, String repository, String jobId) {
        String body = (environment + "-" + repository).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        String suffix = "-" + jobId.substring(0, 8);
        int room = MAX_NAME - Nova.NAME_PREFIX.length() - suffix.length();
        return Nova.NAME_PREFIX + (body.length() > room ? body.substring(0, room) : body) + suffix;
    }

    private static Optional<String> address(Server server) {
        try {
            return Optional.of(OpenStackVmTester.address(server));
        } catch (VmImageException e) {
            return Optional.empty();
        }
    }

    private void deleteQuietly(String serverId) {
        try {
            nova.delete(serverId, cloud.settings().cleanupTimeout());
        } catch (VmImageException e) {
            LOG.warn("Failed server {} not deleted: {}", serverId, e.getMessage());
        }
    }
}

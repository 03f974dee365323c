package io.slipway.deployer.adapter.openstack;

import io.slipway.deployer.domain.Artifact;
import io.slipway.deployer.domain.DeployFailed;
import io.slipway.deployer.domain.DeployRequest;
import io.slipway.deployer.domain.Deployment;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetUnavailable;
import io.slipway.openstack.DeployedServer;
import io.slipway.openstack.OpenStackVmDeployer;
import io.slipway.openstack.VmDeployment;
import io.slipway.openstack.VmImageException;
import io.slipway.openstack.VmSpec;

/**
 * An OpenStack environment: a server booted from the published Glance image ({@link Artifact#digest()} is the image
 * id) with the operators' flavor and network, replacing the environment's previous server once ACTIVE
 * ({@link OpenStackVmDeployer}). A server that goes to ERROR or never becomes ACTIVE is BOOT_FAILED, deleted, and the
 * previous server keeps serving; an unreachable cloud is {@link TargetUnavailable}. The URL is {@code http://<address>/}
 * when the server has an IPv4 address.
 */
final class OpenStackTarget implements DeploymentTarget {

    private final OpenStackVmDeployer deployer;
    private final VmSpec spec;

    OpenStackTarget(OpenStackVmDeployer deployer, VmSpec spec) {
        this.deployer = deployer;
        this.spec = spec;
    }

    @Override
    public Kind kind() {
        return Kind.OPENSTACK;
    }

    @Override
    public Deployment deploy(DeployRequest request) throws DeployFailed, TargetUnavailable {
        Artifact artifact = request.artifact();
        if (artifact.kind() != Artifact.Kind.VM) {
            throw new DeployFailed("CONFIG_INVALID", "environment " + request.environment()
                    + " runs OpenStack servers and deploys VM images, not a " + artifact.kind() + " image", null);
        }
        DeployedServer server;
        try {
            server = deployer.deploy(new VmDeployment(request.environment(), request.repository(), request.runId(),
                    request.commitSha(), artifact.digest(), spec));
        } catch (VmImageException e) {
            if (e.retryable()) {
                throw new TargetUnavailable(e.getMessage(), e);
            }
            String reason = switch (e.reason()) {
                case SERVER_ERROR, TIMEOUT -> "BOOT_FAILED";
                case QUOTA_EXCEEDED -> "QUOTA_EXCEEDED";
                default -> "CONFIG_INVALID";
            };
            throw new DeployFailed(reason, e.getMessage(), e.logExcerpt());
        }
        return new Deployment(server.address().map(address -> "http://" + (address.contains(":") ? "[" + address
                + "]" : address) + "/"), server.took());
    }
}

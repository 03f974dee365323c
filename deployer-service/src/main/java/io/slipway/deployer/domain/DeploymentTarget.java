package io.slipway.deployer.domain;

/**
 * Where one environment runs its artifacts (a Docker engine, a GitOps repository, OpenStack). Implementations are
 * made per environment by a {@link TargetFactory} from the operators' configuration and must be idempotent: asked
 * again for what already runs (a redelivered record, a deployer restarted mid-deploy), they converge on it without a
 * second copy and without leaving a half-made one behind.
 */
public interface DeploymentTarget {

    /** The kind of target, as the Deployed event names it. */
    Kind kind();

    /**
     * Makes the environment run the request's artifact and returns once the target considers it healthy. On
     * {@link DeployFailed} the previous artifact serves again (or never stopped); on {@link TargetUnavailable} nothing
     * changed.
     */
    Deployment deploy(DeployRequest request) throws DeployFailed, TargetUnavailable;

    /** The kinds of target, as DeployTargetKind. */
    enum Kind { DOCKER, GITOPS, OPENSTACK }
}

package io.slipway.builder.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a repository's {@code .slipway.yml} asks for, with paths resolved against the repository root. {@code lines}
 * holds the line of each key that was written, so later checks (a named file does not exist) can name it.
 *
 * @param image      the image name, staged as {@code <registry>/staging/<image>:<sha>}
 * @param context    the build context directory ({@code ""} for the repository root)
 * @param dockerfile the Dockerfile, relative to the repository root (inside the context)
 * @param target     the multi-stage target, or null for the last stage
 * @param buildArgs  build arguments, in the order written
 * @param tests      test suite files for the tester, relative to the repository root
 * @param timeout    the build timeout the repository asks for, or null for the service's
 * @param backend    what builds the image: a Docker engine (container image) or OpenStack (VM image)
 * @param openstack  the {@code openstack:} block; present exactly when {@code backend} is {@link Backend#OPENSTACK}
 * @param paths      which changed paths ask for a build ({@link PathFilter#NONE}: every change)
 * @param deploy     the {@code deploy:} block, carried to the deployer; null when the file has none
 */
public record PipelineFile(String image, String context, String dockerfile, String target,
                           Map<String, String> buildArgs, List<String> tests, Duration timeout,
                           Backend backend, OpenStack openstack, PathFilter paths, DeployIntent deploy,
                           Map<String, Integer> lines) {

    public static final String PATH = ".slipway.yml";

    /** {@code backend:} in {@code .slipway.yml}. */
    public enum Backend {
        /** A container image built on the Docker engine and staged in the registry (the default). */
        CONTAINER,
        /** A VM image: a server provisioned by the repository's script, snapshotted into Glance. */
        OPENSTACK
    }

    /**
     * The {@code openstack:} block.
     *
     * @param provision the provisioning script, relative to the repository root
     * @param server    the build server's spec; empty fields take the builder's {@code SLIPWAY_OPENSTACK_*} defaults
     * @param test      the tester's server spec ({@code openstack.test}); read by tester-service, only checked here
     */
    public record OpenStack(String provision, Server server, Server test) {
    }

    /** Glance image id, Nova flavor id, Neutron network id, key pair and security groups; null when not given. */
    public record Server(String baseImage, String flavor, String network, String keyPair, List<String> securityGroups) {

        public static final Server DEFAULTS = new Server(null, null, null, null, List.of());

        public Server {
            securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
        }
    }

    /** The line where {@code key} was written, or 1 when it was not. */
    public int line(String key) {
        return lines.getOrDefault(key, 1);
    }
}

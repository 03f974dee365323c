package io.slipway.openstack;

import org.openstack4j.api.Builders;
import org.openstack4j.model.compute.Action;
import org.openstack4j.model.compute.Fault;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.compute.builder.ServerCreateBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Nova calls the VM stages make, with their failures classified. Every server Slipway boots is named
 * {@code slipway-*} so a sweep can list them with Nova's name filter (a regular expression) and then pick its own by
 * metadata, which Nova cannot filter on.
 */
final class Nova {

    static final String NAME_PREFIX = "slipway-";
    /** Nova refuses user data above 65535 bytes once base64-encoded. */
    static final int MAX_USER_DATA = 65535;

    private final OpenStackCloud cloud;

    Nova(OpenStackCloud cloud) {
        this.cloud = cloud;
    }

    /** Boots a server; not retried (a repeated POST could start two), clean-up finds a half-created one by metadata. */
    Server boot(String name, String imageId, VmSpec spec, String userData, Map<String, String> metadata) {
        String encoded = Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8));
        if (encoded.length() > MAX_USER_DATA) {
            throw new VmImageException(VmFailureReason.CONFIG_INVALID, "the user data for " + name + " is "
                    + encoded.length() + " bytes base64-encoded; Nova accepts " + MAX_USER_DATA);
        }
        ServerCreateBuilder server = Builders.server().name(name).image(imageId).flavor(spec.flavor())
                .addMetadata(metadata);
        if (!userData.isEmpty()) {
            server.userData(encoded);
        }
        if (spec.network() != null) {
            server.networks(List.of(spec.network()));
        }
        if (spec.keyPair() != null) {
            server.keypairName(spec.keyPair());
        }
        spec.securityGroups().forEach(server::addSecurityGroup);
        try {
            return cloud.client().compute().servers().boot(server.build());
        } catch (RuntimeException e) {
            throw OpenStackErrors.classify("booting server " + name + " from image " + imageId + " with flavor "
                    + spec.flavor(), e);
        }
    }

    /** The server, or empty once Nova no longer knows it. */
    Optional<Server> get(String id) {
        return Optional.ofNullable(cloud.client().compute().servers().get(id));
    }

    /** Polls until the server has {@code wanted} status; ERROR (with Nova's fault) or disappearing fails at once. */
    Server await(String id, Server.Status wanted, Duration timeout) {
        return cloud.poller().until("server " + id + " becoming " + wanted, timeout, () -> {
            Server server = get(id).orElseThrow(() -> new VmImageException(VmFailureReason.SERVER_ERROR,
                    "server " + id + " disappeared while waiting for " + wanted));
            failIfError(server);
            return server.getStatus() == wanted ? Optional.of(server) : Optional.empty();
        });
    }

    static void failIfError(Server server) {
        if (server.getStatus() == Server.Status.ERROR) {
            Fault fault = server.getFault();
            String detail = fault == null ? "no fault recorded" : fault.getMessage() + " (code " + fault.getCode() + ")";
            throw new VmImageException(VmFailureReason.SERVER_ERROR, "server " + server.getId() + " went to ERROR: "
                    + detail).withLogExcerpt(fault == null ? "" : fault.getDetails());
        }
    }

    /** The last {@code lines} lines of the server's console log ({@code os-getConsoleOutput}). */
    String console(String id, int lines) {
        String output = cloud.client().compute().servers().getConsoleOutput(id, lines);
        return output == null ? "" : output;
    }

    /** Stops the server ({@code os-stop}) and waits for SHUTOFF, so the snapshot sees a quiet disk. */
    void stop(String id, Duration timeout) {
        String action = "stopping server " + id;
        cloud.poller().retry(action,
                () -> OpenStackErrors.check(action, cloud.client().compute().servers().action(id, Action.STOP), false));
        await(id, Server.Status.SHUTOFF, timeout);
    }

    /** Starts Nova's snapshot ({@code createImage}) with {@code metadata} as image properties; the image id or null. */
    String snapshot(String id, String imageName, Map<String, String> metadata) {
        try {
            return cloud.client().compute().servers().createSnapshot(id, imageName, metadata);
        } catch (RuntimeException e) {
            throw OpenStackErrors.classify("snapshotting server " + id + " to image " + imageName, e);
        }
    }

    /** Slipway's servers of {@code stage} (by the {@link SlipwayMetadata#MANAGED} metadata). */
    List<? extends Server> managed(String stage) {
        return cloud.poller().retry("listing servers", () -> cloud.client().compute().servers()
                        .list(Map.of("name", "^" + NAME_PREFIX)))
                .stream()
                .filter(server -> server.getMetadata() != null
                        && stage.equals(server.getMetadata().get(SlipwayMetadata.MANAGED)))
                .toList();
    }

    /** Deletes the server and waits until Nova no longer lists it; an unknown server counts as deleted. */
    void delete(String id, Duration timeout) {
        String action = "deleting server " + id;
        cloud.poller().retry(action,
                () -> OpenStackErrors.check(action, cloud.client().compute().servers().delete(id), true));
        cloud.poller().until("server " + id + " being deleted", timeout,
                () -> get(id).isEmpty() ? Optional.of(id) : Optional.empty());
    }
}

package io.slipway.openstack;

import org.openstack4j.model.compute.Address;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.image.v2.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link VmTester} on OpenStack: checks the image is active in Glance, boots a throwaway server from it whose
 * cloud-config carries one-off SSH host and client keys, runs the checks over SSH at the server's IPv4 address
 * (floating first), and deletes the server in every case.
 */
public final class OpenStackVmTester implements VmTester {

    private static final Logger LOG = LoggerFactory.getLogger(OpenStackVmTester.class);

    private final OpenStackCloud cloud;
    private final VmTesterSettings settings;
    private final Nova nova;
    private final Glance glance;
    private final Janitor janitor;

    public OpenStackVmTester(OpenStackCloud cloud, VmTesterSettings settings) {
        this.cloud = cloud;
        this.settings = settings;
        this.nova = new Nova(cloud);
        this.glance = new Glance(cloud);
        this.janitor = new Janitor(cloud, nova, glance, SlipwayMetadata.TESTER);
    }

    @Override
    public VmTestReport test(VmTestRequest request) {
        VmSpec spec = request.spec() == null ? settings.defaults() : request.spec().orElse(settings.defaults());
        if (spec.flavor() == null) {
            throw new VmImageException(VmFailureReason.CONFIG_INVALID,
                    "no flavor for test servers (SLIPWAY_OPENSTACK_TEST_FLAVOR or SLIPWAY_OPENSTACK_FLAVOR)");
        }
        Image image = glance.get(request.imageId()).filter(found -> found.getStatus() == Image.ImageStatus.ACTIVE)
                .orElseThrow(() -> new VmImageException(VmFailureReason.IMAGE_NOT_FOUND,
                        "image " + request.imageId() + " is not an active image in Glance"));
        Instant started = cloud.poller().clock().instant();
        String jobId = UUID.randomUUID().toString();
        KeyPair hostKey = SshGuest.newKey();
        KeyPair clientKey = SshGuest.newKey();
        LOG.info("Run {}: testing VM image {} with {} checks (job {})", request.runId(), image.getId(),
                request.checks().size(), jobId);
        try {
            String serverId = nova.boot(Nova.NAME_PREFIX + "test-" + jobId.substring(0, 8), image.getId(), spec,
                    SshGuest.cloudConfig(hostKey, clientKey.getPublic()),
                    janitor.metadata(request.runId(), jobId)).getId();
            Server server = nova.await(serverId, Server.Status.ACTIVE, cloud.settings().bootTimeout());
            try (SshGuest guest = connect(server, hostKey, clientKey)) {
                List<VmCheckResult> results = request.checks().stream()
                        .map(check -> VmChecks.run(check, guest, cloud.poller().clock())).toList();
                VmTestReport report = new VmTestReport(image.getId(), results,
                        Duration.between(started, cloud.poller().clock().instant()));
                LOG.info("Run {}: VM image {}: {} of {} checks failed", request.runId(), image.getId(),
                        report.failures(), results.size());
                return report;
            }
        } finally {
            LOG.info("Run {}: clean-up after job {}: {}", request.runId(), jobId, janitor.afterJob(jobId, true));
        }
    }

    @Override
    public SweepReport sweep() {
        return janitor.sweep();
    }

    private SshGuest connect(Server server, KeyPair hostKey, KeyPair clientKey) {
        String address = address(server);
        String target = settings.sshUser() + "@" + address + ":" + settings.sshPort();
        AtomicReference<String> lastError = new AtomicReference<>("none");
        try {
            return cloud.poller().until("SSH to " + target, settings.sshTimeout(), () -> {
                try {
                    return Optional.of(SshGuest.connect(address, settings.sshPort(), settings.sshUser(), clientKey,
                            hostKey.getPublic(), cloud.settings().connectTimeout(), settings.commandTimeout()));
                } catch (IOException | RuntimeException e) {
                    lastError.set(e.toString());
                    return Optional.empty();
                }
            });
        } catch (VmImageException e) {
            String console = "";
            try {
                console = nova.console(server.getId(), 100);
            } catch (RuntimeException consoleFailure) {
                LOG.debug("no console log for {}", server.getId(), consoleFailure);
            }
            throw e.withLogExcerpt("last SSH error: " + lastError.get() + "\n" + console);
        }
    }

    /** The server's IPv4 address Slipway connects to: a floating one if any, else a fixed one, else accessIPv4. */
    static String address(Server server) {
        Map<String, List<? extends Address>> addresses = server.getAddresses() == null ? Map.of()
                : server.getAddresses().getAddresses();
        return addresses.values().stream().flatMap(List::stream)
                .filter(address -> address.getVersion() == 4)
                .min(Comparator.comparing(address -> !"floating".equals(address.getType())))
                .map(Address::getAddr)
                .or(() -> Optional.ofNullable(server.getAccessIPv4()).filter(ip -> !ip.isBlank()))
                .orElseThrow(() -> new VmImageException(VmFailureReason.CONFIG_INVALID, "server " + server.getId()
                        + " has no IPv4 address Slipway can reach (SLIPWAY_OPENSTACK_TEST_NETWORK)"));
    }
}

package io.slipway.openstack;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The server an environment runs after a deployment: its id and name, its IPv4 address when it has one (floating
 * first), the previous servers deleted, and those that could not be deleted (found and deleted by the next deployment).
 */
public record DeployedServer(String serverId, String name, Optional<String> address, List<String> deleted,
                             List<String> notDeleted, Duration took) {

    public DeployedServer {
        deleted = List.copyOf(deleted);
        notDeleted = List.copyOf(notDeleted);
    }
}

package io.slipway.deliverer.adapter.registry;

import io.slipway.common.cache.BoundedCache;
import io.slipway.container.oci.HttpOciRegistryClient;
import io.slipway.container.oci.OciRegistryClient;
import io.slipway.container.oci.RegistryEndpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One registry client per registry host, with the credentials configured for that host. A host without
 * configuration is used anonymously, over plain HTTP only when it is a loopback address (as Docker does); the clients
 * of such hosts (named by events) are kept for the {@value #UNCONFIGURED_HOSTS} hosts used most recently only.
 */
public final class RegistryClients {

    /** How many clients of hosts without configuration are kept. */
    static final int UNCONFIGURED_HOSTS = 32;

    private final Map<String, RegistryEndpoint> configured;
    private final Function<RegistryEndpoint, OciRegistryClient> factory;
    private final Map<String, OciRegistryClient> clients = new ConcurrentHashMap<>();
    private final BoundedCache<String, OciRegistryClient> others = new BoundedCache<>(UNCONFIGURED_HOSTS);

    public RegistryClients(List<RegistryEndpoint> endpoints, Duration requestTimeout, Duration transferTimeout) {
        this(endpoints, endpoint -> new HttpOciRegistryClient(endpoint, requestTimeout, transferTimeout));
    }

    RegistryClients(List<RegistryEndpoint> endpoints, Function<RegistryEndpoint, OciRegistryClient> factory) {
        this.configured = new ConcurrentHashMap<>();
        endpoints.forEach(endpoint -> configured.putIfAbsent(endpoint.host(), endpoint));
        this.factory = factory;
    }

    /** The client of a registry host ({@code host[:port]}). */
    public OciRegistryClient forHost(String host) {
        RegistryEndpoint endpoint = configured.get(host);
        if (endpoint != null) {
            return clients.computeIfAbsent(host, h -> factory.apply(endpoint));
        }
        return others.get(host, h -> factory.apply(new RegistryEndpoint(h, isLoopback(h), null, null)));
    }

    /** Whether {@code host[:port]} names this machine: {@code localhost}, {@code 127.0.0.0/8} or {@code [::1]}. */
    public static boolean isLoopback(String host) {
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
    }
}

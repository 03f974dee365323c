package io.slipway.deliverer.adapter.registry;

import io.slipway.container.oci.OciRegistryClient;
import io.slipway.container.oci.RegistryEndpoint;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Clients are reused per host, and hosts named only by events cannot make the set of clients grow without bound. */
class RegistryClientsTest {

    private final List<RegistryEndpoint> created = new ArrayList<>();
    private final RegistryClients clients = new RegistryClients(
            List.of(new RegistryEndpoint("release.example", false, "u", "p"),
                    new RegistryEndpoint("registry.test:5000", "127.0.0.1:5101", true, "builder", "staging-secret")),
            endpoint -> {
                created.add(endpoint);
                return (OciRegistryClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[]{OciRegistryClient.class}, (proxy, method, args) -> null);
            });

    @Test
    void reusesTheClientOfAHostWithItsConfiguredCredentials() {
        OciRegistryClient first = clients.forHost("release.example");

        assertThat(clients.forHost("release.example")).isSameAs(first);
        assertThat(created).singleElement().satisfies(e -> assertThat(e.username()).isEqualTo("u"));
    }

    @Test
    void keepsClientsOfUnconfiguredHostsForTheMostRecentlyUsedOnly() {
        OciRegistryClient release = clients.forHost("release.example");
        for (int i = 0; i < 1000; i++) {
            clients.forHost("registry-" + i + ".example");
        }

        clients.forHost("registry-0.example");

        assertThat(created).as("the oldest unconfigured host was forgotten and is built again").hasSize(1002);
        assertThat(clients.forHost("registry-999.example")).isNotNull();
        assertThat(created).hasSize(1002);
        assertThat(clients.forHost("release.example")).as("configured hosts are kept").isSameAs(release);
    }

    @Test
    void theConfiguredAddressAndCredentialsGoOnlyWithTheConfiguredHostNeverWithOneAnEventNames() {
        clients.forHost("registry.test:5000");
        clients.forHost("127.0.0.1:5101");
        clients.forHost("evil.example:5000");

        assertThat(created).extracting(RegistryEndpoint::host, RegistryEndpoint::address, RegistryEndpoint::username)
                .containsExactly(tuple("registry.test:5000", "127.0.0.1:5101", "builder"),
                        tuple("127.0.0.1:5101", null, null),
                        tuple("evil.example:5000", null, null));
        assertThat(created).extracting(RegistryEndpoint::baseUri).extracting(Object::toString)
                .containsExactly("http://127.0.0.1:5101/", "http://127.0.0.1:5101/", "https://evil.example:5000/");
    }
}

package io.slipway.openstack;

import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.openstack.OSFactory;
import org.openstack4j.openstack.identity.v3.domain.KeystoneToken;

import java.time.Clock;
import java.time.Duration;

/**
 * One OpenStack project as the VM stages see it: authenticates with Keystone v3 (renewing the token before it
 * expires), hands out openstack4j clients, and paces polls and retries. Create one per service and share it; it
 * is thread-safe.
 */
public final class OpenStackCloud {

    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(10);

    private final OpenStackSettings settings;
    private final Keystone keystone;
    private final Poller poller;
    private final CatalogResolver catalog;
    private final Facing facing;
    private final Config config;
    private KeystoneToken token;

    public OpenStackCloud(OpenStackSettings settings) {
        this(settings, Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()));
    }

    OpenStackCloud(OpenStackSettings settings, Clock clock, Poller.Sleeper sleeper) {
        this.settings = settings;
        this.keystone = new Keystone(settings);
        this.poller = new Poller(clock, sleeper, settings.pollInterval(), settings.apiAttempts(),
                settings.retryBackoff());
        this.facing = Facing.value(settings.endpointInterface());
        this.catalog = new CatalogResolver(facing, settings.region());
        this.config = Config.newConfig()
                .withConnectionTimeout((int) settings.connectTimeout().toMillis())
                .withReadTimeout((int) settings.readTimeout().toMillis())
                .withEndpointURLResolver(catalog);
    }

    public OpenStackSettings settings() {
        return settings;
    }

    Poller poller() {
        return poller;
    }

    /**
     * An openstack4j client bound to the calling thread: openstack4j keeps its session in a thread-local, so call
     * this on the thread that uses the client, again after any hand-over.
     */
    OSClientV3 client() {
        return OSFactory.clientFromToken(token(), facing, config);
    }

    /** Obtains (or renews) the token now, so a job fails before creating anything when Keystone refuses. */
    void authenticate() {
        token();
    }

    /** The Glance endpoint from the catalog, for traceability in events. */
    String imageServiceUrl() {
        return catalog.find(token(), "image");
    }

    private synchronized KeystoneToken token() {
        if (token == null || token.getExpires() == null || token.getExpires().toInstant()
                .isBefore(poller.clock().instant().plus(RENEW_BEFORE_EXPIRY))) {
            token = poller.retry("Keystone authentication at " + settings.identityUrl(), keystone::authenticate);
        }
        return token;
    }
}

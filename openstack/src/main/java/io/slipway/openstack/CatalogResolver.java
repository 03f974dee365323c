package io.slipway.openstack;

import org.openstack4j.api.identity.EndpointURLResolver;
import org.openstack4j.api.types.Facing;
import org.openstack4j.api.types.ServiceType;
import org.openstack4j.model.identity.URLResolverParams;
import org.openstack4j.model.identity.v3.Endpoint;
import org.openstack4j.model.identity.v3.Service;
import org.openstack4j.model.identity.v3.Token;

/**
 * Finds a service's URL in the token's catalog by service type ({@code compute}, {@code image}), interface and
 * region. openstack4j's default resolver also insists on the service's name (nova, glance), which clouds may
 * choose freely; and it silently falls back to the Keystone URL where this one says what is missing.
 */
final class CatalogResolver implements EndpointURLResolver {

    private final Facing facing;
    private final String region;

    CatalogResolver(Facing facing, String region) {
        this.facing = facing;
        this.region = region;
    }

    @Override
    public String findURLV2(URLResolverParams params) {
        throw new UnsupportedOperationException("Slipway authenticates with Keystone v3 only");
    }

    @Override
    public String findURLV3(URLResolverParams params) {
        return params.type == null || params.type == ServiceType.IDENTITY ? params.token.getEndpoint()
                : find(params.token, params.type.getType());
    }

    String find(Token token, String serviceType) {
        if (token.getCatalog() != null) {
            for (Service service : token.getCatalog()) {
                if (!serviceType.equals(service.getType())) {
                    continue;
                }
                for (Endpoint endpoint : service.getEndpoints()) {
                    if (endpoint.getIface() == facing && (region == null || region.equals(endpoint.getRegion())
                            || region.equals(endpoint.getRegionId()))) {
                        return endpoint.getUrl().toString();
                    }
                }
            }
        }
        throw new VmImageException(VmFailureReason.CONFIG_INVALID, "the service catalog has no " + serviceType
                + " endpoint with interface " + facing.value() + (region == null ? "" : " in region " + region)
                + " (OS_INTERFACE, OS_REGION_NAME)");
    }
}

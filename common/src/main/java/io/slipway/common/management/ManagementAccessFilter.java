package io.slipway.common.management;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.slipway.common.config.ManagementProperties;

import java.util.Map;
import java.util.Optional;

/**
 * Guards what a service tells about itself, the same way in every service: {@code /prometheus} and the tester's
 * {@code /reports} answer only requests carrying the management token ({@code Authorization: Bearer <token>}), and
 * {@code /health} answers anyone with its status alone (200 UP, 503 DOWN), adding the details only for the token.
 * A refused request gets 401 with a message saying what to send, or that no token is configured.
 */
@ServerFilter({"/health", "/health/**", "/prometheus", "/prometheus/**", "/reports", "/reports/**"})
public final class ManagementAccessFilter {

    /** The header naming the scheme in a 401, as RFC 6750 asks. */
    public static final String CHALLENGE = "Bearer realm=\"slipway-management\"";

    static final String HEALTH = "/health";
    private static final String ACCESS = ManagementAccessFilter.class.getName() + ".access";

    private final ManagementToken token;

    ManagementAccessFilter(ManagementProperties properties) {
        this.token = new ManagementToken(properties.token());
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> authorize(HttpRequest<?> request) {
        ManagementToken.Access access = token.check(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        request.setAttribute(ACCESS, access);
        boolean health = isHealth(request.getPath());
        return switch (access) {
            case GRANTED -> null;
            case ANONYMOUS -> health ? null : refuse("send the management token: Authorization: Bearer <token> "
                    + "(the value of SLIPWAY_MANAGEMENT_TOKEN)");
            case REFUSED -> refuse("the Authorization header is not the management token (SLIPWAY_MANAGEMENT_TOKEN)");
            case NOT_CONFIGURED -> health && !request.getHeaders().contains(HttpHeaders.AUTHORIZATION) ? null
                    : refuse("no management token is configured, so health details, metrics and reports are "
                    + "served to nobody: set SLIPWAY_MANAGEMENT_TOKEN (./slipway up generates one) and send it as "
                    + "Authorization: Bearer <token>");
        };
    }

    @ResponseFilter
    void statusOnlyForAnonymousHealth(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!isHealth(request.getPath())
                || request.getAttribute(ACCESS, ManagementToken.Access.class).orElse(null) == ManagementToken.Access.GRANTED) {
            return;
        }
        Optional<HealthStatus> health = response.getBody(HealthResult.class).map(HealthResult::getStatus);
        String status = health.map(HealthStatus::getName).orElse(response.code() < 300 ? "UP" : "DOWN");
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> anonymous = (MutableHttpResponse<Object>) response;
        // Micronaut maps a DOWN result to 503 in a filter of its own, which sees no HealthResult once the body is
        // replaced: whichever of the two runs first, a DOWN service answers 503.
        if (health.filter(h -> !h.getOperational().orElse(true)).isPresent()) {
            anonymous.status(HttpStatus.SERVICE_UNAVAILABLE);
        }
        anonymous.body(Map.of("status", status));
    }

    private static boolean isHealth(String path) {
        return path.equals(HEALTH) || path.startsWith(HEALTH + "/");
    }

    private static HttpResponse<?> refuse(String message) {
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .body(Map.of("message", message));
    }
}

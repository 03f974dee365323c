package io.slipway.dashboard.web;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Puts the same protective headers on every answer: scripts, styles and everything else only from this service (no
 * inline script, no inline handler), no framing, no MIME sniffing, no referrer sent to forges the pages link to.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class SecurityHeaders {

    /** The Content-Security-Policy of every answer. */
    public static final String POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'; object-src 'none'";

    @ResponseFilter
    void protect(MutableHttpResponse<?> response) {
        response.getHeaders().set("Content-Security-Policy", POLICY);
        response.getHeaders().set("X-Content-Type-Options", "nosniff");
        response.getHeaders().set("Referrer-Policy", "no-referrer");
        response.getHeaders().set("X-Frame-Options", "DENY");
    }
}

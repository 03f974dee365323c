package io.slipway.deployer.domain;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs smoke checks against a deployment: GET the URL joined with each check's path, within a timeout per check, and
 * compare the status and (the first {@value #MAX_BODY} bytes of) the body. A redirect is followed only to the same
 * scheme, host and port (at most {@value #MAX_REDIRECTS}), so a check never reaches another host.
 */
public class SmokeChecks {

    static final int MAX_BODY = 1024 * 1024;
    static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final Duration timeout;

    public SmokeChecks(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    /** The first check that fails against {@code url}, described, or empty when all pass. */
    public Optional<String> firstFailure(String url, List<SmokeCheck> checks) {
        if (checks.isEmpty()) {
            return Optional.empty();
        }
        if (url == null || url.isBlank()) {
            return Optional.of("smoke checks are configured but the environment has no URL to run them against");
        }
        URI base;
        try {
            base = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("the environment's URL '" + url + "' is not a URL");
        }
        for (SmokeCheck check : checks) {
            Optional<String> failure = run(base, check);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private Optional<String> run(URI base, SmokeCheck check) {
        Optional<String> problem = SmokeCheck.pathProblem(check.path());
        if (problem.isPresent()) {
            return problem;
        }
        URI target = join(base, check.path());
        String what = "GET " + target;
        try {
            for (int redirects = 0; ; redirects++) {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(target).timeout(timeout).GET()
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
                }
                int status = response.statusCode();
                Optional<String> location = response.headers().firstValue("location");
                if (status >= 300 && status < 400 && location.isPresent() && status != check.status()) {
                    URI next = target.resolve(location.get());
                    if (!sameOrigin(base, next)) {
                        return Optional.of(what + " redirected to another host (" + next.getScheme() + "://"
                                + next.getAuthority() + "), which a smoke check never follows");
                    }
                    if (redirects >= MAX_REDIRECTS) {
                        return Optional.of(what + ": more than " + MAX_REDIRECTS + " redirects");
                    }
                    target = next;
                    continue;
                }
                if (status != check.status()) {
                    return Optional.of(what + " answered " + status + ", expected " + check.status());
                }
                if (check.contains() != null && !body.contains(check.contains())) {
                    return Optional.of(what + " answered " + status + " without '" + check.contains()
                            + "' in its body");
                }
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.of(what + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(what + " was interrupted");
        } catch (IllegalArgumentException e) {
            return Optional.of(what + " is not a valid request: " + e.getMessage());
        }
    }

    /** The URL's scheme and authority with {@code path} appended to the URL's own path. */
    static URI join(URI base, String path) {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + path);
    }

    private static boolean sameOrigin(URI base, URI other) {
        return base.getScheme().equalsIgnoreCase(String.valueOf(other.getScheme()))
                && base.getHost().equalsIgnoreCase(String.valueOf(other.getHost()))
                && port(base) == port(other);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}

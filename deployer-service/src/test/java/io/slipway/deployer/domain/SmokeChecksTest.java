package io.slipway.deployer.domain;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeChecksTest {

    private final Map<String, String> hits = new ConcurrentHashMap<>();
    private HttpServer app;
    private HttpServer elsewhere;
    private final SmokeChecks checks = new SmokeChecks(Duration.ofSeconds(5));

    @BeforeEach
    void start() throws IOException {
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            hits.put("elsewhere", exchange.getRequestURI().toString());
            answer(exchange, 200, "stolen");
        });
        elsewhere.start();
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/app/health" -> answer(exchange, 200, "all good");
                case "/app/moved" -> {
                    exchange.getResponseHeaders().add("Location", "/app/health");
                    answer(exchange, 302, "");
                }
                case "/app/away" -> {
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:"
                            + elsewhere.getAddress().getPort() + "/steal");
                    answer(exchange, 302, "");
                }
                case "/app/big" -> answer(exchange, 200, "x".repeat(SmokeChecks.MAX_BODY) + "needle");
                default -> answer(exchange, 404, "no");
            }
        });
        app.start();
    }

    @AfterEach
    void stop() {
        app.stop(0);
        elsewhere.stop(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + app.getAddress().getPort() + "/app/";
    }

    @Test
    void passesWhenStatusAndBodyAreAsExpectedUnderTheUrlsOwnPath() {
        assertThat(checks.firstFailure(url(), List.of(new SmokeCheck("/health", 200, "good")))).isEmpty();
    }

    @Test
    void failsNamingTheRequestWhenTheStatusOrBodyDiffers() {
        assertThat(checks.firstFailure(url(), List.of(new SmokeCheck("/missing", 200, null))))
                .hasValueSatisfying(f -> assertThat(f).contains("/app/missing", "404", "expected 200"));
        assertThat(checks.firstFailure(url(), List.of(new SmokeCheck("/health", 200, "bad"))))
                .hasValueSatisfying(f -> assertThat(f).contains("without 'bad'"));
    }

    @Test
    void followsARedirectOnTheSameHostOnly() {
        assertThat(checks.firstFailure(url(), List.of(new SmokeCheck("/moved", 200, "good")))).isEmpty();
        assertThat(checks.firstFailure(url(), List.of(new SmokeCheck("/away", 200, null))))
                .hasValueSatisfying(f -> assertThat(f).contains("another host"));
        assertThat(hits).isEmpty();
    }

    @Test
    void readsAtMostTheBoundOfTheBody() {
        assertThat(checks.firstFailure(url(), List.of(new SmokeCheck("/big", 200, "needle"))))
                .hasValueSatisfying(f -> assertThat(f).contains("without 'needle'"));
    }

    @Test
    void refusesAPathThatCouldNameAnotherHostWithoutAnyRequest() {
        for (String path : List.of("//127.0.0.1:" + elsewhere.getAddress().getPort() + "/x", "/@127.0.0.1/x",
                "http://127.0.0.1/", "x")) {
            assertThat(checks.firstFailure(url(), List.of(new SmokeCheck(path, 200, null)))).isPresent();
        }
        assertThat(hits).isEmpty();
    }

    @Test
    void failsWhenThereIsNoUrlToCheck() {
        assertThat(checks.firstFailure(null, List.of(new SmokeCheck("/", 200, null))))
                .hasValueSatisfying(f -> assertThat(f).contains("no URL"));
        assertThat(checks.firstFailure(null, List.of())).isEmpty();
    }
}

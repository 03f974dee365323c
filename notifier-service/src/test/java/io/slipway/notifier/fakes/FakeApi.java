package io.slipway.notifier.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A local HTTP server standing in for an API that cannot be reached from here. Each subclass checks every request
 * against the documented API (method, path, headers, authentication, JSON body) and answers with the documented
 * bodies from {@code fixtures}; a malformed request is answered like the real service would and recorded as a
 * violation. Tests can make it answer scripted failures (500, 429 with Retry-After, 401 …) to valid requests.
 */
public abstract class FakeApi implements AutoCloseable {

    /** A request as received; header names are lower-case; {@code rawQuery} is null when there is none. */
    public record Request(Instant at, String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                          String body, JsonNode json, int answeredWith) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The query parameters, decoded, in order; a repeated name keeps its last value. */
        public Map<String, String> query() {
            Map<String, String> parameters = new java.util.LinkedHashMap<>();
            if (rawQuery != null && !rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    int equals = pair.indexOf('=');
                    String name = equals < 0 ? pair : pair.substring(0, equals);
                    String value = equals < 0 ? "" : pair.substring(equals + 1);
                    parameters.put(java.net.URLDecoder.decode(name, StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
                }
            }
            return parameters;
        }
    }

    /** An answer: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer json(int status, Object body, String... headerPairs) {
            return new Answer(status, pairs("Content-Type", "application/json; charset=utf-8", headerPairs), String.valueOf(body));
        }

        public static Answer text(int status, String body, String... headerPairs) {
            return new Answer(status, pairs("Content-Type", "text/plain;charset=utf-8", headerPairs), body);
        }

        private static Map<String, String> pairs(String name, String value, String... more) {
            Map<String, String> headers = new java.util.LinkedHashMap<>(Map.of(name, value));
            for (int i = 0; i < more.length; i += 2) {
                headers.put(more[i], more[i + 1]);
            }
            return headers;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Deque<Answer> scripted = new ConcurrentLinkedDeque<>();
    private volatile Answer always;
    private volatile CountDownLatch stall;

    protected FakeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::exchange);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next valid requests get these answers, in order, instead of the documented success. */
    public void answerNext(Answer... answers) {
        scripted.addAll(List.of(answers));
    }

    /** Every valid request gets this answer until {@link #recover()}. */
    public void answerAlways(Answer answer) {
        always = answer;
    }

    /** Valid requests get no answer until {@code released} counts down (at most 30 s): a server that hangs. */
    public void stallUntil(CountDownLatch released) {
        stall = released;
    }

    /** Ends {@link #answerAlways}; answers queued with {@link #answerNext} still come first. */
    public void recover() {
        always = null;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(Predicate<Request> filter) {
        return requests.stream().filter(filter).toList();
    }

    /** Requests that broke the documented API; a test expects none. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** The error answer the real service gives to this request, or null when it is valid and authorised. */
    protected abstract Answer check(Request request);

    /** The documented answer to a valid request; may change the fake's state. */
    protected abstract Answer respond(Request request);

    /**
     * Checks the query of a list request: only documented parameters, each value among those documented (when listed);
     * returns the problem, or null.
     */
    protected static String queryProblem(Request request, Map<String, Set<String>> documented) {
        for (Map.Entry<String, String> parameter : request.query().entrySet()) {
            if (!documented.containsKey(parameter.getKey())) {
                return "undocumented query parameter '" + parameter.getKey() + "'";
            }
            Set<String> values = documented.get(parameter.getKey());
            if (!values.isEmpty() && !values.contains(parameter.getValue())) {
                return "query parameter " + parameter.getKey() + " must be one of " + values;
            }
        }
        return null;
    }

    /** Newest-first pagination as both forges do it: {@code page} from 1, {@code per_page} at most 100. */
    protected static <T> List<T> page(Request request, List<T> all) {
        int perPage = Math.min(100, Integer.parseInt(request.query().getOrDefault("per_page", "20")));
        int page = Math.max(1, Integer.parseInt(request.query().getOrDefault("page", "1")));
        int from = Math.min(all.size(), (page - 1) * perPage);
        return all.subList(from, Math.min(all.size(), from + perPage));
    }

    /** Records that the client broke the documented API, and returns the answer the service gives then. */
    protected Answer violation(Request request, String problem, Answer answer) {
        violations.add(request.method() + " " + request.rawPath() + ": " + problem);
        return answer;
    }

    /**
     * Checks a JSON body against a documented example: it must be an object whose every field is either in the example
     * (with the same JSON type, or null) or among {@code alsoDocumented}, and must carry every {@code required} field.
     * Returns the problem, or null.
     */
    protected static String shapeProblem(JsonNode body, JsonNode example, Set<String> alsoDocumented, String... required) {
        if (body == null || !body.isObject()) {
            return "body is not a JSON object";
        }
        for (String field : required) {
            if (!body.hasNonNull(field) || body.get(field).isTextual() && body.get(field).asText().isBlank()) {
                return "missing required field '" + field + "'";
            }
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode documented = example.get(name);
            if (documented == null && !alsoDocumented.contains(name)) {
                return "undocumented field '" + name + "'";
            }
            if (documented != null && !documented.isNull() && !body.get(name).isNull()
                    && documented.getNodeType() != body.get(name).getNodeType()) {
                return "field '" + name + "' is " + body.get(name).getNodeType() + ", documented as " + documented.getNodeType();
            }
        }
        return null;
    }

    /**
     * Checks the JSON types of fields that the documented example does not show: alternating names and types; a field
     * that is absent or null passes. Returns the problem, or null.
     */
    protected static String typeProblem(JsonNode body, Object... namesAndTypes) {
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            JsonNode value = body.get((String) namesAndTypes[i]);
            if (value != null && !value.isNull() && value.getNodeType() != namesAndTypes[i + 1]) {
                return "field '" + namesAndTypes[i] + "' is " + value.getNodeType() + ", documented as " + namesAndTypes[i + 1];
            }
        }
        return null;
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode json = null;
            try {
                json = body.isBlank() ? null : Fixtures.JSON.readTree(body);
            } catch (IOException notJson) {
                json = null;
            }
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
            Request request = new Request(Instant.now(), exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(), headers, body, json, 0);
            Answer answer = check(request);
            CountDownLatch hanging = stall;
            if (answer == null && hanging != null) {
                hanging.await(30, TimeUnit.SECONDS);
            }
            if (answer == null) {
                Answer override = scripted.poll();
                answer = override != null ? override : always != null ? always : respond(request);
            }
            requests.add(new Request(request.at(), request.method(), request.rawPath(), request.rawQuery(), headers, body,
                    json, answer.status()));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            violations.add("fake failed: " + e);
            exchange.sendResponseHeaders(500, -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package io.slipway.devstack.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.devstack.registry.SchemaStore.SchemaVersion;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A schema registry speaking Confluent Schema Registry's REST API for Avro schemas, with Confluent's exact response
 * bodies and error codes, that keeps its schemas as Confluent does in the compacted Kafka topic {@code _schemas} and
 * rebuilds its state from that topic on start, so ids survive restarts and are never reused. It must be the only
 * writer of that topic. With credentials configured, writes (POST, PUT, DELETE) need them and reads stay anonymous,
 * as Confluent clients read schemas; a request body over {@value #MAX_BODY_BYTES} bytes is refused with 413 before it
 * is read, since the registry shares its JVM with the broker.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8081;
    public static final String TOPIC = "_schemas";
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final Set<String> ACCEPTED_CONTENT_TYPES = Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json",
            "application/json", "application/octet-stream");
    private static final int HTTP_THREADS = 4;
    /** Schemas are small: Slipway's largest is a few KiB; Confluent's own default limit is far above any real one. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final Map<String, Object> kafkaClient;
    private final String topic;
    private final String host;
    private final int requestedPort;
    private final byte[] expectedCredentials;
    private final ObjectMapper json = new ObjectMapper();
    private KafkaSchemaLog log;
    private SchemaStore store;
    private HttpServer http;
    private ExecutorService executor;
    private int boundPort;

    /** A registry on 127.0.0.1:{@code port} (0 picks a free port) without authentication. */
    public SchemaRegistryServer(String bootstrapServers, int port) {
        this(bootstrapServers, "127.0.0.1", port, null);
    }

    /**
     * A registry on {@code host:port}; when {@code basicAuthUserInfo} ({@code "user:password"}) is given, every
     * write must carry it as HTTP basic authentication or is refused with 401.
     */
    public SchemaRegistryServer(String bootstrapServers, String host, int port, String basicAuthUserInfo) {
        this(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), host, port, basicAuthUserInfo);
    }

    /**
     * As {@link #SchemaRegistryServer(String, String, int, String)}, reaching Kafka with {@code kafkaClient}: bootstrap
     * servers and, on a secured broker, the security settings of a principal that may manage {@code _schemas}.
     */
    public SchemaRegistryServer(Map<String, Object> kafkaClient, String host, int port, String basicAuthUserInfo) {
        this(kafkaClient, host, port, basicAuthUserInfo, TOPIC);
    }

    /** A registry keeping its schemas in {@code topic} instead of {@code _schemas}, so tests can run a fresh one. */
    SchemaRegistryServer(String bootstrapServers, String host, int port, String basicAuthUserInfo, String topic) {
        this(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), host, port, basicAuthUserInfo, topic);
    }

    private SchemaRegistryServer(Map<String, Object> kafkaClient, String host, int port, String basicAuthUserInfo,
                                 String topic) {
        this.topic = topic;
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.host = host;
        this.requestedPort = port;
        this.expectedCredentials = basicAuthUserInfo == null ? null : basicAuthUserInfo.getBytes(StandardCharsets.UTF_8);
    }

    /** Creates {@code _schemas} if absent, replays it to its end, then starts answering HTTP requests. */
    public synchronized SchemaRegistryServer start() {
        if (http != null) {
            throw new IllegalStateException("The schema registry is already running on " + url());
        }
        log = new KafkaSchemaLog(kafkaClient, topic);
        try {
            store = new SchemaStore(log, json);
            store.load();
            executor = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads());
            http = HttpServer.create(new InetSocketAddress(host, requestedPort), 50);
            http.createContext("/", this::handle);
            http.setExecutor(executor);
            http.start();
            boundPort = http.getAddress().getPort();
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("The schema registry cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("Schema registry listening on {} with {} subjects from {}", url(), store.subjects(false).size(), topic);
        return this;
    }

    /** The bound port, useful when constructed with port 0. */
    public int port() {
        return boundPort;
    }

    public String url() {
        return "http://" + host + ":" + port();
    }

    /** Stops answering requests and closes the Kafka producer; a no-op when not running. */
    @Override
    public synchronized void close() {
        stop();
    }

    private void stop() {
        if (http != null) {
            http.stop(0);
            http = null;
        }
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            int status = 200;
            Object body;
            try {
                refuseOversizedBody(exchange);
                authorize(exchange);
                body = route(exchange);
            } catch (RegistryException e) {
                status = e.status();
                body = json.createObjectNode().put("error_code", e.errorCode()).put("message", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                body = json.createObjectNode().put("error_code", 50001).put("message", "Error in the backend data store: " + e);
            }
            byte[] bytes = json.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            LOG.debug("Could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        }
    }

    private Object route(HttpExchange exchange) {
        List<String> p = pathSegments(exchange);
        Map<String, String> query = query(exchange);
        if (p.isEmpty()) {
            return on(exchange, Map.of("GET", json::createObjectNode));
        }
        String first = p.get(0);
        int n = p.size();
        if (first.equals("subjects")) {
            if (n == 1) {
                return on(exchange, Map.of("GET", () -> store.subjects(flag(query, "deleted"))));
            }
            String subject = p.get(1);
            if (n == 2) {
                return on(exchange, Map.of(
                        "POST", () -> versionBody(store.lookup(subject, schemaText(body(exchange)))),
                        "DELETE", () -> {
                            refusePermanentDelete(query);
                            return store.deleteSubject(subject);
                        }));
            }
            if (p.get(2).equals("versions")) {
                if (n == 3) {
                    return on(exchange, Map.of(
                            "GET", () -> store.versions(subject),
                            "POST", () -> json.createObjectNode().put("id", store.register(subject, schemaText(body(exchange))))));
                }
                String version = p.get(3);
                if (n == 4) {
                    return on(exchange, Map.of(
                            "GET", () -> versionBody(store.version(subject, version)),
                            "DELETE", () -> {
                                refusePermanentDelete(query);
                                return store.deleteVersion(subject, version);
                            }));
                }
                if (n == 5 && p.get(4).equals("schema")) {
                    return on(exchange, Map.of("GET", () -> rawSchema(store.version(subject, version).schema())));
                }
            }
        } else if (first.equals("schemas")) {
            if (n == 2 && p.get(1).equals("types")) {
                return on(exchange, Map.of("GET", () -> List.of("AVRO")));
            }
            if (n >= 3 && n <= 4 && p.get(1).equals("ids")) {
                int id = schemaId(p.get(2));
                if (n == 3) {
                    return on(exchange, Map.of("GET", () -> json.createObjectNode().put("schema", store.schemaById(id))));
                }
                if (p.get(3).equals("versions")) {
                    return on(exchange, Map.of("GET", () -> subjectVersions(store.versionsOfId(id))));
                }
                if (p.get(3).equals("schema")) {
                    return on(exchange, Map.of("GET", () -> rawSchema(store.schemaById(id))));
                }
            }
        } else if (first.equals("compatibility")) {
            if (n == 5 && p.get(1).equals("subjects") && p.get(3).equals("versions")) {
                return on(exchange, Map.of("POST", () -> {
                    List<String> problems = store.compatibilityProblems(p.get(2), p.get(4), schemaText(body(exchange)));
                    ObjectNode result = json.createObjectNode().put("is_compatible", problems.isEmpty());
                    if (flag(query, "verbose")) {
                        problems.forEach(result.putArray("messages")::add);
                    }
                    return result;
                }));
            }
        } else if (first.equals("config")) {
            if (n == 1) {
                return on(exchange, Map.of(
                        "GET", () -> levelBody("compatibilityLevel", store.globalLevel()),
                        "PUT", () -> setLevel(null, body(exchange))));
            }
            if (n == 2) {
                String subject = p.get(1);
                return on(exchange, Map.of(
                        "GET", () -> levelBody("compatibilityLevel", subjectLevel(subject, flag(query, "defaultToGlobal"))),
                        "PUT", () -> setLevel(subject, body(exchange)),
                        "DELETE", () -> levelBody("compatibilityLevel", store.deleteSubjectLevel(subject))));
            }
        }
        throw new RegistryException(404, 404, "HTTP 404 Not Found");
    }

    private static Object on(HttpExchange exchange, Map<String, Supplier<Object>> handlers) {
        Supplier<Object> handler = handlers.get(exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        if (handler == null) {
            throw new RegistryException(405, 405, "HTTP 405 Method Not Allowed");
        }
        return handler.get();
    }

    /**
     * Refuses a declared body over the limit before reading any of it; the JDK server then drains at most a little of
     * it and closes the connection instead of reading the rest. A body without a length is cut at the limit in body().
     */
    private static void refuseOversizedBody(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            exchange.getResponseHeaders().set("Connection", "close");
            throw new RegistryException(400, 400, "Malformed Content-Length: " + length);
        }
        if (declared > MAX_BODY_BYTES) {
            throw bodyTooLarge(exchange, declared + " bytes");
        }
    }

    private static RegistryException bodyTooLarge(HttpExchange exchange, String size) {
        exchange.getResponseHeaders().set("Connection", "close");
        return new RegistryException(413, 413, "Request body of " + size + " is over this registry's limit of "
                + MAX_BODY_BYTES + " bytes; schemas are far smaller");
    }

    private void authorize(HttpExchange exchange) {
        if (expectedCredentials == null || READS.contains(exchange.getRequestMethod().toUpperCase(Locale.ROOT))) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = new byte[0];
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                given = Base64.getDecoder().decode(header.substring(6).trim());
            } catch (IllegalArgumentException e) {
                given = new byte[0];
            }
        }
        if (!MessageDigest.isEqual(given, expectedCredentials)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SchemaRegistry\"");
            throw new RegistryException(401, 401, "Unauthorized");
        }
    }

    private JsonNode body(HttpExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!mediaType.isEmpty() && !ACCEPTED_CONTENT_TYPES.contains(mediaType)) {
                throw new RegistryException(415, 415, "HTTP 415 Unsupported Media Type: " + contentType
                        + "; use " + CONTENT_TYPE);
            }
        }
        try {
            byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw bodyTooLarge(exchange, "more than " + MAX_BODY_BYTES + " bytes");
            }
            if (bytes.length == 0) {
                return json.createObjectNode();
            }
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegistryException(400, 400, "Malformed request body: expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RegistryException(400, 400, "Malformed JSON request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Avro schema text of a register/lookup/compatibility request; other schema types and references are refused. */
    private static String schemaText(JsonNode body) {
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw RegistryException.invalidSchema("Invalid schema type " + type + ": this registry supports only AVRO");
        }
        if (!body.path("references").isEmpty()) {
            throw RegistryException.invalidSchema("Schema references are not supported by this registry");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || schema.isNull()) {
            return null;
        }
        if (!schema.isTextual()) {
            throw RegistryException.invalidSchema("Invalid schema " + schema + ", details: \"schema\" must be a JSON string");
        }
        return schema.asText();
    }

    private Object setLevel(String subject, JsonNode body) {
        CompatibilityLevel level = CompatibilityLevel.parse(body.path("compatibility").asText(null))
                .orElseThrow(RegistryException::invalidCompatibility);
        store.setLevel(subject, level);
        return levelBody("compatibility", level);
    }

    private CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> level = store.subjectLevel(subject);
        if (level.isEmpty() && !defaultToGlobal) {
            throw RegistryException.noSubjectCompatibility(subject);
        }
        return level.orElseGet(store::globalLevel);
    }

    private ObjectNode levelBody(String field, CompatibilityLevel level) {
        return json.createObjectNode().put(field, level.name());
    }

    private ObjectNode versionBody(SchemaVersion v) {
        return json.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                .put("schema", v.schema());
    }

    private ArrayNode subjectVersions(List<SchemaVersion> versions) {
        ArrayNode result = json.createArrayNode();
        versions.forEach(v -> result.addObject().put("subject", v.subject()).put("version", v.version()));
        return result;
    }

    private JsonNode rawSchema(String schema) {
        try {
            return json.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored schema is not JSON: " + schema, e);
        }
    }

    private static void refusePermanentDelete(Map<String, String> query) {
        if (flag(query, "permanent")) {
            throw RegistryException.notPermitted("Permanent deletion is not supported by this registry: "
                    + "it would let a schema id be reused after a restart");
        }
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound(text);
        }
    }

    private static boolean flag(Map<String, String> query, String name) {
        return Boolean.parseBoolean(query.get(name));
    }

    private static List<String> pathSegments(HttpExchange exchange) {
        List<String> segments = new ArrayList<>();
        for (String raw : exchange.getRequestURI().getRawPath().split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "true");
            }
        }
        return query;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

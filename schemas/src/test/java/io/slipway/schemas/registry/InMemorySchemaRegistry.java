package io.slipway.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * A tiny Confluent-API-compatible schema registry for tests, served over HTTP on 127.0.0.1: subjects, versions,
 * global ids (one id per distinct schema, shared across subjects), lookup, BACKWARD compatibility checks on register
 * (rejected with 409 / error code 40901), and Confluent's error bodies. It records every request line it receives.
 */
public final class InMemorySchemaRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    private final Map<Integer, Schema> schemasById = new LinkedHashMap<>();
    private final Map<String, Integer> idsBySchemaText = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private InMemorySchemaRegistry(HttpServer server) {
        this.server = server;
    }

    public static InMemorySchemaRegistry start() throws IOException {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        registry.server.createContext("/", registry::handle);
        registry.server.start();
        return registry;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A fresh client of this registry, with empty caches. */
    public SchemaRegistryClient newClient() {
        return new SchemaRegistryClient(url().toString());
    }

    /** Registers a schema directly (no HTTP), as if another producer had registered it; returns its id. */
    public synchronized int register(String subject, Schema schema) {
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), text -> {
            int next = schemasById.size() + 1;
            schemasById.put(next, schema);
            return next;
        });
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    /** Every request received, as {@code METHOD raw-path}, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange http) throws IOException {
        String method = http.getRequestMethod();
        String rawPath = http.getRequestURI().getRawPath();
        requests.add(method + " " + rawPath);
        String body = new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Response response;
        synchronized (this) {
            response = route(method, segments(rawPath), body);
        }
        byte[] bytes = JSON.writeValueAsBytes(response.body());
        http.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
        http.sendResponseHeaders(response.status(), bytes.length);
        http.getResponseBody().write(bytes);
        http.close();
    }

    private record Response(int status, Object body) {
        static Response ok(Object body) {
            return new Response(200, body);
        }

        static Response error(int errorCode, String message) {
            return new Response(errorCode / 100, Map.of("error_code", errorCode, "message", message));
        }
    }

    private Response route(String method, List<String> path, String body) {
        int n = path.size();
        if (method.equals("GET") && n == 1 && path.get(0).equals("subjects")) {
            return Response.ok(List.copyOf(subjects.keySet()));
        }
        if (method.equals("GET") && n == 3 && path.get(0).equals("schemas") && path.get(1).equals("ids")) {
            Schema schema = schemasById.get(Integer.parseInt(path.get(2)));
            return schema == null ? Response.error(40403, "Schema " + path.get(2) + " not found")
                    : Response.ok(Map.of("schema", schema.toString()));
        }
        if (n >= 2 && path.get(0).equals("subjects")) {
            String subject = path.get(1);
            if (method.equals("POST") && n == 3 && path.get(2).equals("versions")) {
                return register(subject, body);
            }
            List<Integer> versions = subjects.get(subject);
            if (versions == null) {
                return Response.error(40401, "Subject '" + subject + "' not found.");
            }
            if (method.equals("POST") && n == 2) {
                Schema schema = parse(body);
                int index = schema == null ? -1 : versions.indexOf(idsBySchemaText.getOrDefault(schema.toString(), -1));
                return index < 0 ? Response.error(40403, "Schema not found") : Response.ok(version(subject, index + 1));
            }
            if (method.equals("GET") && n == 3 && path.get(2).equals("versions")) {
                List<Integer> numbers = new ArrayList<>();
                for (int v = 1; v <= versions.size(); v++) {
                    numbers.add(v);
                }
                return Response.ok(numbers);
            }
            if (method.equals("GET") && n == 4 && path.get(2).equals("versions")) {
                int version = path.get(3).equals("latest") ? versions.size() : Integer.parseInt(path.get(3));
                return version < 1 || version > versions.size()
                        ? Response.error(40402, "Version " + path.get(3) + " not found.") : Response.ok(version(subject, version));
            }
        }
        if (method.equals("POST") && n == 5 && path.get(0).equals("compatibility") && path.get(4).equals("latest")) {
            Schema schema = parse(body);
            List<Integer> versions = subjects.get(path.get(2));
            if (schema == null) {
                return Response.error(42201, "Invalid schema");
            }
            return Response.ok(Map.of("is_compatible", versions == null || backwardCompatible(schema, versions)));
        }
        return Response.error(40400, "HTTP 404 Not Found");
    }

    private Response register(String subject, String body) {
        Schema schema = parse(body);
        if (schema == null) {
            return Response.error(42201, "Invalid schema " + body);
        }
        List<Integer> versions = subjects.get(subject);
        Integer existing = idsBySchemaText.get(schema.toString());
        if (versions != null && !versions.contains(existing) && !backwardCompatible(schema, versions)) {
            return Response.error(40901, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\", details: [BACKWARD check by the in-memory registry]");
        }
        return Response.ok(Map.of("id", register(subject, schema)));
    }

    private boolean backwardCompatible(Schema schema, List<Integer> versions) {
        Schema latest = schemasById.get(versions.get(versions.size() - 1));
        return SchemaCompatibility.checkReaderWriterCompatibility(schema, latest).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private Map<String, Object> version(String subject, int version) {
        int id = subjects.get(subject).get(version - 1);
        return Map.of("subject", subject, "version", version, "id", id, "schema", schemasById.get(id).toString());
    }

    private static Schema parse(String body) {
        try {
            JsonNode schema = JSON.readTree(body).get("schema");
            return schema == null ? null : new Schema.Parser().parse(schema.asText());
        } catch (IOException | SchemaParseException e) {
            return null;
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }
}

package io.slipway.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client for the Confluent Schema Registry REST API (Avro schemas only), built on {@link HttpClient}.
 * Schemas by id and ids by (subject, schema) are cached for the life of the client, so the serializer's and
 * deserializer's hot path makes no HTTP call after the first use; thread-safe.
 */
public final class SchemaRegistryClient {

    /** The registry's preferred media type, sent as {@code Content-Type} of every request with a body. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** The {@code Accept} header of Confluent's documentation and of its Python client. */
    public static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_CHARS = 2_000;
    private static final int UNPARSEABLE = SchemaRegistryException.UNPARSEABLE_ERROR_BODY;

    private final RegistrySettings settings;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    /** A client for one registry base URL (or a comma-separated list), without credentials. */
    public SchemaRegistryClient(String url) {
        this(RegistrySettings.of(url));
    }

    public SchemaRegistryClient(RegistrySettings settings) {
        this(settings, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build());
    }

    SchemaRegistryClient(RegistrySettings settings, HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
    }

    public RegistrySettings settings() {
        return settings;
    }

    /**
     * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}) and returns its global id;
     * registering a schema the subject already has returns the existing id. Cached.
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = send("POST", "/subjects/" + segment(subject) + "/versions", schemaBody(schema)).intField("id");
        remember(key, id);
        LOG.debug("Registered {} under subject {} as id {}", schema.getFullName(), subject, id);
        return id;
    }

    /** The schema with a global id ({@code GET /schemas/ids/{id}}). Cached. */
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = send("GET", "/schemas/ids/" + id, null).schemaField("schema");
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** The latest version of a subject ({@code GET /subjects/{subject}/versions/latest}). Not cached. */
    public RegisteredSchema latest(String subject) {
        return send("GET", "/subjects/" + segment(subject) + "/versions/latest", null).registered();
    }

    /** One version of a subject ({@code GET /subjects/{subject}/versions/{version}}). Not cached. */
    public RegisteredSchema version(String subject, int version) {
        return send("GET", "/subjects/" + segment(subject) + "/versions/" + version, null).registered();
    }

    /**
     * The version of a subject that has exactly this schema ({@code POST /subjects/{subject}}); fails with
     * {@link SchemaRegistryException#isNotFound()} when the subject (40401) or the schema under it (40403) is unknown.
     */
    public RegisteredSchema lookup(String subject, Schema schema) {
        RegisteredSchema found = send("POST", "/subjects/" + segment(subject), schemaBody(schema)).registered();
        remember(new SubjectSchema(subject, schema), found.id());
        return found;
    }

    /** The id of a schema already registered under a subject, without registering it; cached like {@link #register}. */
    public int lookupId(String subject, Schema schema) {
        Integer cached = idsBySubjectSchema.get(new SubjectSchema(subject, schema));
        return cached != null ? cached : lookup(subject, schema).id();
    }

    /**
     * Whether the registry would accept this schema as the next version of the subject under the subject's
     * compatibility level ({@code POST /compatibility/subjects/{subject}/versions/latest}).
     */
    public boolean isCompatible(String subject, Schema schema) {
        return send("POST", "/compatibility/subjects/" + segment(subject) + "/versions/latest", schemaBody(schema))
                .booleanField("is_compatible");
    }

    /** All subjects ({@code GET /subjects}). */
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).body().forEach(node -> subjects.add(node.asText()));
        return List.copyOf(subjects);
    }

    /** The version numbers of a subject ({@code GET /subjects/{subject}/versions}). */
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + segment(subject) + "/versions", null).body().forEach(node -> versions.add(node.asInt()));
        return List.copyOf(versions);
    }

    /** The global compatibility level ({@code GET /config}), e.g. {@code BACKWARD}. */
    public String compatibility() {
        return send("GET", "/config", null).textField("compatibilityLevel");
    }

    /** The subject-level compatibility level ({@code GET /config/{subject}}); newer registries answer 40408 when none is set. */
    public String compatibility(String subject) {
        return send("GET", "/config/" + segment(subject), null).textField("compatibilityLevel");
    }

    /** Sets the global compatibility level ({@code PUT /config}) and returns the level the registry echoes. */
    public String updateCompatibility(String level) {
        return send("PUT", "/config", Map.of("compatibility", level)).textField("compatibility");
    }

    /** Sets a subject's compatibility level ({@code PUT /config/{subject}}) and returns the level the registry echoes. */
    public String updateCompatibility(String subject, String level) {
        return send("PUT", "/config/" + segment(subject), Map.of("compatibility", level)).textField("compatibility");
    }

    private void remember(SubjectSchema key, int id) {
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, key.schema());
    }

    private Reply send(String method, String path, Object body) {
        SchemaRegistryUnavailableException unreachable = null;
        for (URI base : settings.urls()) {
            URI url = URI.create(base.toString().replaceFirst("/+$", "") + path);
            HttpRequest.Builder request = HttpRequest.newBuilder(url)
                    .timeout(settings.requestTimeout())
                    .header("Accept", ACCEPT);
            settings.authorization().ifPresent(value -> request.header("Authorization", value));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(json(body), StandardCharsets.UTF_8));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // Connection refused, reset or timed out: try the next base URL, as Confluent's client does.
                unreachable = new SchemaRegistryUnavailableException(method, url, e);
                LOG.debug("{}", unreachable.getMessage());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException(method, url, e);
            }
            return Reply.of(method, url, response);
        }
        throw unreachable;
    }

    /** A successful response, with accessors that fail naming the request when a documented field is missing. */
    private record Reply(String method, URI url, JsonNode body) {

        static Reply of(String method, URI url, HttpResponse<String> response) {
            int status = response.statusCode();
            String text = response.body() == null ? "" : response.body();
            JsonNode json;
            try {
                json = text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
            } catch (JsonProcessingException e) {
                json = null;
            }
            if (status >= 200 && status < 300) {
                if (json == null) {
                    throw new SchemaRegistryException(method, url, status, UNPARSEABLE, "response is not JSON: " + truncate(text));
                }
                return new Reply(method, url, json);
            }
            JsonNode code = json == null ? null : json.get("error_code");
            JsonNode message = json == null ? null : json.get("message");
            throw new SchemaRegistryException(method, url, status,
                    json == null ? UNPARSEABLE : code != null && code.canConvertToInt() ? code.intValue() : status,
                    message != null && !message.isNull() ? message.asText() : truncate(text));
        }

        int intField(String name) {
            JsonNode value = body.get(name);
            if (value == null || !value.canConvertToInt()) {
                throw missing(name);
            }
            return value.intValue();
        }

        String textField(String name) {
            JsonNode value = body.get(name);
            if (value == null || !value.isTextual()) {
                throw missing(name);
            }
            return value.textValue();
        }

        boolean booleanField(String name) {
            JsonNode value = body.get(name);
            if (value == null || !value.isBoolean()) {
                throw missing(name);
            }
            return value.booleanValue();
        }

        Schema schemaField(String name) {
            try {
                return new Schema.Parser().parse(textField(name));
            } catch (SchemaParseException e) {
                throw new SchemaRegistryException(method, url, 200, SchemaRegistryException.INVALID_SCHEMA,
                        "registry returned a schema that is not valid Avro: " + e.getMessage());
            }
        }

        RegisteredSchema registered() {
            return new RegisteredSchema(textField("subject"), intField("version"), intField("id"), schemaField("schema"));
        }

        private SchemaRegistryException missing(String name) {
            return new SchemaRegistryException(method, url, 200, UNPARSEABLE,
                    "response lacks the documented field '" + name + "': " + truncate(body.toString()));
        }
    }

    private static Map<String, String> schemaBody(Schema schema) {
        return Map.of("schema", Objects.requireNonNull(schema, "schema").toString());
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write request body", e);
        }
    }

    /** Percent-encodes one path segment, so subjects with '/', spaces or other reserved characters stay one segment. */
    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("subject must not be empty");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}

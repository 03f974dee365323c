package io.slipway.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server answering the part of the OpenStack API Slipway uses — Keystone v3 token issue, Nova servers
 * and server actions, Glance v2 images — with bodies from the API reference ({@code src/test/resources/openstack-api}),
 * and simulating the cloud behind it: servers go BUILD→ACTIVE (or ERROR with a fault), the guest writes the
 * provisioning marker to its console, snapshots go queued→saving→active. Failures are injected per request pattern.
 * State changes are counted in polls, not in time, so tests are deterministic.
 */
public final class OpenStackApiDouble implements AutoCloseable {

    public static final String TOKEN = "gAAAAABmPd1xSlipwayDoubleToken";
    public static final String BASE_IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b";
    public static final String FLAVOR = "1";
    public static final String NETWORK = "3cb9bc59-5699-4588-a4b1-b87f96708bc6";
    public static final String APP_CREDENTIAL_ID = "423f19a4ac1e4f48bbb4180756e6eb6c";
    public static final String APP_CREDENTIAL_SECRET = "rEaqvJka48mpv";
    public static final String USER = "slipway";
    public static final String PASSWORD = "s3cr3t";

    private static final String API = "openstack-api/";
    private static final String PATCH_MEDIA_TYPE = "application/openstack-images-v2.1-json-patch";
    private static final Pattern JOB = Pattern.compile("slipway_job='([^']+)'");
    private static final Set<String> READ_ONLY = Set.of("id", "status", "created_at", "updated_at", "checksum",
            "size", "virtual_size", "owner", "self", "file", "schema", "os_hash_algo", "os_hash_value");

    /** Knobs for the simulated cloud; tests set them before acting. */
    volatile int buildPolls = 1;
    volatile boolean bootFails;
    volatile int provisionPolls = 1;
    /** The provisioning script's exit code the guest reports; null: it never finishes. */
    volatile Integer provisionExit = 0;
    volatile int snapshotPolls = 1;
    volatile boolean snapshotKilled;
    volatile Consumer<Guest> onBoot = guest -> { };

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<JsonNode> authRequests = new CopyOnWriteArrayList<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, Guest> servers = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> images = new ConcurrentHashMap<>();
    private final Map<String, Integer> imagePolls = new ConcurrentHashMap<>();
    private final Set<String> deletedServers = ConcurrentHashMap.newKeySet();
    private final Set<String> deletedImages = ConcurrentHashMap.newKeySet();

    /** A server as the double knows it: what it was booted with and where it is in its life. */
    public static final class Guest {
        final String id;
        final String name;
        final String image;
        final String flavor;
        final String userData;
        final Map<String, String> metadata;
        final JsonNode request;
        String status;
        boolean stopping;
        int polls;
        int consoleReads;

        Guest(String id, String name, String image, String flavor, String userData, Map<String, String> metadata,
              JsonNode request, String status) {
            this.id = id;
            this.name = name;
            this.image = image;
            this.flavor = flavor;
            this.userData = userData;
            this.metadata = metadata;
            this.request = request;
            this.status = status;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public String image() {
            return image;
        }

        /** What the boot request asked for (networks, key_name, security_groups …). */
        public JsonNode request() {
            return request;
        }

        public Map<String, String> metadata() {
            return Map.copyOf(metadata);
        }
    }

    private record Rule(String method, Pattern path, AtomicInteger remaining, int status, String resource,
                        boolean hang) {
    }

    private record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of());
        }
    }

    public OpenStackApiDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        seedImage("debian-12-genericcloud-amd64", "active", Map.of("os_distro", "debian"), List.of(), "public",
                BASE_IMAGE);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An environment that authenticates with the double's application credential. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("OS_AUTH_URL", url() + "/identity/v3");
        env.put("OS_AUTH_TYPE", "v3applicationcredential");
        env.put("OS_APPLICATION_CREDENTIAL_ID", APP_CREDENTIAL_ID);
        env.put("OS_APPLICATION_CREDENTIAL_SECRET", APP_CREDENTIAL_SECRET);
        env.put("OS_REGION_NAME", "RegionOne");
        env.put("SLIPWAY_OPENSTACK_OWNER", "builder-0");
        env.put("SLIPWAY_OPENSTACK_READ_TIMEOUT", "2s");
        env.put("SLIPWAY_OPENSTACK_BASE_IMAGE", BASE_IMAGE);
        env.put("SLIPWAY_OPENSTACK_FLAVOR", FLAVOR);
        env.put("SLIPWAY_OPENSTACK_NETWORK", NETWORK);
        return env;
    }

    /** Makes every server booted from now on go to ERROR with a fault (true) or to ACTIVE (false). */
    public void failBoots(boolean fails) {
        bootFails = fails;
    }

    /** Answers the next {@code times} requests matching with {@code status} and the body in {@code resource}. */
    public void failNext(String method, String pathRegex, int times, int status, String resource) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), new AtomicInteger(times), status, resource, false));
    }

    /** Carries out the next matching request but holds its answer until the double closes (a read timeout). */
    public void hangNext(String method, String pathRegex) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), new AtomicInteger(1), 0, null, true));
    }

    /** How many requests matched, e.g. {@code count("PATCH", "/image/v2/images/")}. */
    public long count(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return requests.stream().filter(r -> r.startsWith(method + " ") && pattern.matcher(r).find()).count();
    }

    public List<JsonNode> authRequests() {
        return List.copyOf(authRequests);
    }

    public synchronized List<Guest> servers() {
        return List.copyOf(servers.values());
    }

    public Set<String> deletedServers() {
        return Set.copyOf(deletedServers);
    }

    public Set<String> deletedImages() {
        return Set.copyOf(deletedImages);
    }

    public synchronized ObjectNode image(String id) {
        ObjectNode image = images.get(id);
        return image == null ? null : image.deepCopy();
    }

    public synchronized List<ObjectNode> images() {
        return images.values().stream().map(ObjectNode::deepCopy).toList();
    }

    /** Puts an image into Glance as if a builder had made it (public: services seed the images they test or promote). */
    public synchronized String seedImage(String name, String status, Map<String, String> properties, List<String> tags,
                                         String visibility) {
        return seedImage(name, status, properties, tags, visibility, UUID.randomUUID().toString());
    }

    private synchronized String seedImage(String name, String status, Map<String, String> properties,
                                          List<String> tags, String visibility, String id) {
        ObjectNode image = (ObjectNode) parse(render("glance/image-show-response.json", Map.of("id", id, "name", name)));
        properties.forEach(image::put);
        tags.forEach(image.withArray("tags")::add);
        image.put("visibility", visibility);
        images.put(id, image);
        imagePolls.put(id, Integer.MAX_VALUE / 2);
        setImageStatus(image, status);
        return id;
    }

    /** A server a previous (killed) stage left, e.g. to test the sweep. */
    public synchronized String seedServer(String name, String status, Map<String, String> metadata) {
        String id = UUID.randomUUID().toString();
        servers.put(id, new Guest(id, name, BASE_IMAGE, FLAVOR, "", new LinkedHashMap<>(metadata),
                json.createObjectNode(), status));
        return id;
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = readBody(exchange);
            requests.add(method + " " + path + (query == null ? "" : "?" + query));
            Rule rule = rules.stream().filter(r -> r.method.equals(method) && r.path.matcher(path).find()
                    && r.remaining.get() > 0).findFirst().orElse(null);
            if (rule != null) {
                rule.remaining.decrementAndGet();
            }
            Reply reply;
            if (rule != null && !rule.hang) {
                reply = new Reply(rule.status, rule.resource.endsWith(".html") ? "text/html; charset=UTF-8"
                        : "application/json", render(rule.resource, Map.of()), Map.of());
            } else {
                synchronized (this) {
                    reply = route(exchange, method, path, query(query), new String(body, StandardCharsets.UTF_8));
                }
            }
            if (rule != null && rule.hang) {
                release.await();
            }
            send(exchange, reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, Reply.json(500, "{\"computeFault\": {\"code\": 500, \"message\": \"double: "
                    + e.toString().replace("\"", "'") + "\"}}"));
        } finally {
            exchange.close();
        }
    }

    private Reply route(HttpExchange exchange, String method, String path, Map<String, List<String>> query,
                        String body) {
        if (path.equals("/") && method.equals("GET")) {
            return Reply.json(300, render("keystone/versions.json", Map.of()));
        }
        if (path.equals("/identity/v3/auth/tokens") && method.equals("POST")) {
            return issueToken(body);
        }
        if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Auth-Token"))) {
            return Reply.json(401, render("keystone/unauthorized.json", Map.of()));
        }
        Matcher m;
        if ((m = Pattern.compile("^/compute/v2\\.1/servers(/detail)?$").matcher(path)).matches()) {
            return method.equals("POST") ? boot(body) : listServers(query);
        }
        if ((m = Pattern.compile("^/compute/v2\\.1/servers/([^/]+)(/action)?$").matcher(path)).matches()) {
            Guest guest = servers.get(m.group(1));
            if (guest == null) {
                return Reply.json(404, render("nova/item-not-found-404.json", Map.of("id", m.group(1))));
            }
            if (m.group(2) != null) {
                return serverAction(guest, parse(body));
            }
            if (method.equals("DELETE")) {
                servers.remove(guest.id);
                deletedServers.add(guest.id);
                return Reply.json(204, "");
            }
            guest.polls++;
            advance(guest);
            return Reply.json(200, serverJson(guest).toString());
        }
        if (path.equals("/image/v2/images") && method.equals("GET")) {
            return listImages(query);
        }
        if ((m = Pattern.compile("^/image/v2/images/([^/]+)(?:/tags/([^/]+))?$").matcher(path)).matches()) {
            return imageRequest(method, m.group(1), m.group(2) == null ? null
                    : URLDecoder.decode(m.group(2), StandardCharsets.UTF_8), body,
                    exchange.getRequestHeaders().getFirst("Content-Type"));
        }
        return Reply.json(404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"The resource could not be found.\"}}");
    }

    private Reply issueToken(String body) {
        JsonNode request = parse(body);
        authRequests.add(request);
        JsonNode identity = request.path("auth").path("identity");
        String method = identity.path("methods").path(0).asText();
        boolean valid = switch (method) {
            case "application_credential" -> APP_CREDENTIAL_ID.equals(identity.path(method).path("id").asText())
                    && APP_CREDENTIAL_SECRET.equals(identity.path(method).path("secret").asText());
            case "password" -> USER.equals(identity.path("password").path("user").path("name").asText())
                    && PASSWORD.equals(identity.path("password").path("user").path("password").asText())
                    && request.path("auth").path("scope").has("project");
            default -> false;
        };
        if (!valid) {
            return Reply.json(401, render("keystone/unauthorized.json", Map.of()));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DateTimeFormatter micros = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.000000Z'")
                .withZone(java.time.ZoneOffset.UTC);
        return new Reply(201, "application/json", render("keystone/token-response.json", Map.of("method", method,
                "expires_at", micros.format(now.plus(1, ChronoUnit.HOURS)), "issued_at", micros.format(now))),
                Map.of("X-Subject-Token", TOKEN));
    }

    private Reply boot(String body) {
        JsonNode request = parse(body).path("server");
        String flavor = request.path("flavorRef").asText();
        if (!FLAVOR.equals(flavor)) {
            return Reply.json(400, render("nova/flavor-not-found-400.json", Map.of("flavor", flavor)));
        }
        String id = UUID.randomUUID().toString();
        Map<String, String> metadata = new LinkedHashMap<>();
        request.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        String userData = new String(Base64.getDecoder().decode(request.path("user_data").asText("")),
                StandardCharsets.UTF_8);
        Guest guest = new Guest(id, request.path("name").asText(), request.path("imageRef").asText(), flavor,
                userData, metadata, request, "BUILD");
        servers.put(id, guest);
        onBoot.accept(guest);
        return Reply.json(202, render("nova/server-create-response.json", Map.of("id", id)));
    }

    private Reply listServers(Map<String, List<String>> query) {
        Pattern name = Pattern.compile(query.getOrDefault("name", List.of("")).get(0));
        ArrayNode list = json.createArrayNode();
        servers.values().stream().filter(guest -> name.matcher(guest.name).find())
                .forEach(guest -> list.add(serverJson(guest).path("server")));
        ObjectNode reply = json.createObjectNode();
        reply.set("servers", list);
        return Reply.json(200, reply.toString());
    }

    private void advance(Guest guest) {
        if (guest.status.equals("BUILD") && guest.polls >= buildPolls) {
            guest.status = bootFails ? "ERROR" : "ACTIVE";
        } else if (guest.stopping) {
            guest.status = "SHUTOFF";
            guest.stopping = false;
        }
    }

    private ObjectNode serverJson(Guest guest) {
        ObjectNode root = (ObjectNode) parse(render("nova/server-show-response.json",
                Map.of("id", guest.id, "name", guest.name, "flavor", guest.flavor, "image", guest.image)));
        ObjectNode server = (ObjectNode) root.path("server");
        server.put("status", guest.status);
        server.put("OS-EXT-STS:vm_state", switch (guest.status) {
            case "BUILD" -> "building";
            case "SHUTOFF" -> "stopped";
            default -> guest.status.toLowerCase();
        });
        ObjectNode metadata = server.putObject("metadata");
        guest.metadata.forEach(metadata::put);
        if (guest.status.equals("ERROR")) {
            server.set("fault", parse(render("nova/fault-no-valid-host.json", Map.of())));
            server.putObject("addresses");
        }
        return root;
    }

    private Reply serverAction(Guest guest, JsonNode action) {
        if (action.has("os-getConsoleOutput")) {
            guest.consoleReads++;
            return Reply.json(200, json.createObjectNode().put("output", console(guest)).toString());
        }
        if (action.has("os-stop")) {
            if (!guest.status.equals("ACTIVE")) {
                return conflict(guest, "stop");
            }
            guest.stopping = true;
            return Reply.json(202, "");
        }
        if (action.has("createImage")) {
            if (!Set.of("ACTIVE", "SHUTOFF").contains(guest.status)) {
                return conflict(guest, "createImage");
            }
            Map<String, String> properties = new LinkedHashMap<>(Map.of("image_type", "snapshot",
                    "instance_uuid", guest.id, "base_image_ref", guest.image, "owner_project_name", "ci",
                    "owner_user_name", USER, "user_id", "ee4dfb6e5540447cb3741905149d9b6e"));
            action.path("createImage").path("metadata").fields()
                    .forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
            String id = seedImage(action.path("createImage").path("name").asText(), "queued", properties, List.of(),
                    "private");
            imagePolls.put(id, 0);
            return new Reply(202, "application/json", "", Map.of("Location", url() + "/image/v2/images/" + id));
        }
        return Reply.json(400, "{\"badRequest\": {\"code\": 400, \"message\": \"There is no such action\"}}");
    }

    private Reply conflict(Guest guest, String action) {
        return Reply.json(409, "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot '" + action
                + "' instance " + guest.id + " while it is in vm_state " + guest.status.toLowerCase() + "\"}}");
    }

    /** The boot log, then — once the guest got that far — the provisioning wrapper's marker. */
    private String console(Guest guest) {
        StringBuilder output = new StringBuilder(render("nova/console-output.txt", Map.of()));
        Matcher job = JOB.matcher(guest.userData);
        if (job.find() && provisionExit != null && guest.consoleReads > provisionPolls) {
            output.append("[   41.207113] cloud-init[560]: provisioning ").append(guest.name).append('\n')
                    .append("SLIPWAY-PROVISION-DONE ").append(job.group(1)).append(" exit=").append(provisionExit)
                    .append('\n');
        }
        return output.toString();
    }

    private Reply listImages(Map<String, List<String>> query) {
        ArrayNode list = json.createArrayNode();
        images.values().stream().filter(image -> query.entrySet().stream().allMatch(filter -> switch (filter.getKey()) {
            case "limit", "marker", "sort", "sort_key", "sort_dir" -> true;
            case "tag" -> filter.getValue().stream().allMatch(tag -> contains(image.withArray("tags"), tag));
            default -> filter.getValue().get(0).equals(image.path(filter.getKey()).asText(null));
        })).forEach(list::add);
        ObjectNode reply = json.createObjectNode();
        reply.set("images", list);
        reply.put("schema", "/v2/schemas/images");
        reply.put("first", "/v2/images");
        return Reply.json(200, reply.toString());
    }

    private Reply imageRequest(String method, String id, String tag, String body, String contentType) {
        ObjectNode image = images.get(id);
        if (image == null) {
            return new Reply(404, "text/html; charset=UTF-8", render("glance/image-not-found-404.html",
                    Map.of("id", id)), Map.of());
        }
        if (tag != null) {
            ArrayNode tags = image.withArray("tags");
            if (method.equals("PUT") && !contains(tags, tag)) {
                tags.add(tag);
            } else if (method.equals("DELETE")) {
                if (!contains(tags, tag)) {
                    return new Reply(404, "text/html; charset=UTF-8", "404 Not Found\n\nTag " + tag + " not found",
                            Map.of());
                }
                List<JsonNode> kept = new ArrayList<>();
                tags.forEach(t -> {
                    if (!t.asText().equals(tag)) {
                        kept.add(t);
                    }
                });
                tags.removeAll().addAll(kept);
            }
            return Reply.json(204, "");
        }
        switch (method) {
            case "DELETE" -> {
                images.remove(id);
                deletedImages.add(id);
                return Reply.json(204, "");
            }
            case "PATCH" -> {
                return contentType != null && contentType.startsWith(PATCH_MEDIA_TYPE) ? patch(image, parse(body))
                        : Reply.json(415, "{\"message\": \"Unsupported Content-Type " + contentType + "\", \"code\": 415}");
            }
            default -> {
                int polls = imagePolls.merge(id, 1, Integer::sum);
                if (image.path("status").asText().matches("queued|saving")) {
                    setImageStatus(image, snapshotKilled && polls > snapshotPolls ? "killed"
                            : polls > snapshotPolls ? "active" : "saving");
                }
                return Reply.json(200, image.toString());
            }
        }
    }

    private Reply patch(ObjectNode image, JsonNode ops) {
        for (JsonNode op : ops) {
            String name = op.path("path").asText().substring(1).replace("~1", "/").replace("~0", "~");
            if (READ_ONLY.contains(name)) {
                return Reply.json(403, "{\"message\": \"Attribute '" + name + "' is read-only.\", \"code\": 403}");
            }
            switch (op.path("op").asText()) {
                case "add" -> image.set(name, op.path("value"));
                case "replace", "remove" -> {
                    if (!image.has(name)) {
                        return Reply.json(409, "{\"message\": \"Property " + name + " does not exist.\", \"code\": 409}");
                    }
                    if (op.path("op").asText().equals("replace")) {
                        image.set(name, op.path("value"));
                    } else {
                        image.remove(name);
                    }
                }
                default -> {
                    return Reply.json(400, "{\"message\": \"Invalid operation\", \"code\": 400}");
                }
            }
        }
        image.put("updated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return Reply.json(200, image.toString());
    }

    private static void setImageStatus(ObjectNode image, String status) {
        image.put("status", status);
        if (status.equals("active") && image.path("size").isNull()) {
            image.put("size", 1_073_741_824L);
            image.put("checksum", "64d7c1cd2b6f60c92c14662941cb7913");
            image.put("os_hash_algo", "sha512");
            image.put("os_hash_value", "073b4523583784fbe01daff81eba092a262ec37ba6d04dd3f52e4cd5c93eb8258af44881"
                    + "345ecda0e49f3d8cc6d2df6b050ff3e72681d723234aff9d17d0cf09");
        }
    }

    private static boolean contains(ArrayNode array, String value) {
        for (JsonNode element : array) {
            if (element.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return Collections.unmodifiableMap(query);
    }

    private String render(String resource, Map<String, String> values) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(API + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + API + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{base}}", url());
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("{{" + value.getKey() + "}}", value.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode parse(String text) {
        try {
            return text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBody(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, Reply reply) {
        try {
            reply.headers().forEach(exchange.getResponseHeaders()::add);
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            if (!reply.body().isEmpty()) {
                exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            // the client gave up waiting (a hung request): nothing left to answer
        }
    }
}

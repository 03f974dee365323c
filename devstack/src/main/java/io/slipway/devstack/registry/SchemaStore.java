package io.slipway.devstack.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's state and rules, rebuilt from and written through a {@link SchemaLog} in Confluent's {@code _schemas}
 * record format. Schema ids are global and never reused (the next id is one more than the highest ever seen); a schema
 * is identified by its Avro canonical text, so the same schema gets the same id under every subject; a new version is
 * accepted only if it passes the subject's compatibility level against the live (not soft-deleted) versions.
 */
final class SchemaStore {

    /** One version of a subject, as stored in a SCHEMA record. */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {
    }

    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;
    private static final int LATEST = -1;
    private static final Logger LOG = LoggerFactory.getLogger(SchemaStore.class);

    private final ObjectMapper json;
    private final SchemaLog log;
    private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private int maxId;

    SchemaStore(SchemaLog log, ObjectMapper json) {
        this.log = log;
        this.json = json;
    }

    /** Rebuilds the state from the whole log. */
    synchronized void load() {
        log.replay(this::apply);
    }

    /** Registers {@code schemaText} under {@code subject} and returns its global id; an identical live version is reused. */
    synchronized int register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        List<SchemaVersion> live = live(subject);
        for (SchemaVersion v : live) {
            if (v.schema().equals(canonical)) {
                return v.id();
            }
        }
        CompatibilityLevel level = effectiveLevel(subject);
        List<SchemaVersion> earlier = level.transitive() || live.isEmpty() ? live : List.of(live.get(live.size() - 1));
        List<String> problems = problems(level, schema, earlier);
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible(subject, problems.toString());
        }
        int id = idsBySchema.getOrDefault(canonical, maxId + 1);
        NavigableMap<Integer, SchemaVersion> all = subjects.get(subject);
        int version = all == null || all.isEmpty() ? 1 : all.lastKey() + 1;
        write(schemaKey(subject, version), schemaValue(new SchemaVersion(subject, version, id, canonical, false)));
        return id;
    }

    /** The live version of {@code subject} holding exactly this schema. */
    synchronized SchemaVersion lookup(String subject, String schemaText) {
        String canonical = parse(schemaText).toString();
        List<SchemaVersion> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return live.stream().filter(v -> v.schema().equals(canonical)).findFirst()
                .orElseThrow(RegistryException::schemaNotFoundInSubject);
    }

    /** Compatibility problems of {@code schemaText} against one version, or against what registering it would check for "latest". */
    synchronized List<String> compatibilityProblems(String subject, String versionText, String schemaText) {
        int requested = parseVersion(versionText);
        Schema schema = parse(schemaText);
        List<SchemaVersion> live = live(subject);
        CompatibilityLevel level = effectiveLevel(subject);
        if (requested == LATEST) {
            List<SchemaVersion> earlier = level.transitive() || live.isEmpty() ? live : List.of(live.get(live.size() - 1));
            return problems(level, schema, earlier);
        }
        return problems(level, schema, List.of(version(subject, versionText)));
    }

    synchronized String schemaById(int id) {
        String schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryException.schemaNotFound(String.valueOf(id));
        }
        return schema;
    }

    /** The live subject versions that use schema {@code id}. */
    synchronized List<SchemaVersion> versionsOfId(int id) {
        schemaById(id);
        List<SchemaVersion> result = new ArrayList<>();
        for (String subject : subjects.keySet()) {
            live(subject).stream().filter(v -> v.id() == id).forEach(result::add);
        }
        return result;
    }

    synchronized List<String> subjects(boolean includeDeleted) {
        return subjects.entrySet().stream()
                .filter(e -> includeDeleted ? !e.getValue().isEmpty() : !live(e.getKey()).isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    synchronized List<Integer> versions(String subject) {
        List<SchemaVersion> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return live.stream().map(SchemaVersion::version).toList();
    }

    /** A live version by number, or the latest for {@code "latest"} / {@code -1}. */
    synchronized SchemaVersion version(String subject, String versionText) {
        int requested = parseVersion(versionText);
        List<SchemaVersion> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        if (requested == LATEST) {
            return live.get(live.size() - 1);
        }
        return live.stream().filter(v -> v.version() == requested).findFirst()
                .orElseThrow(() -> RegistryException.versionNotFound(versionText));
    }

    /** Soft-deletes every live version of {@code subject} and its compatibility override; returns the deleted versions. */
    synchronized List<Integer> deleteSubject(String subject) {
        NavigableMap<Integer, SchemaVersion> all = subjects.get(subject);
        if (all == null || all.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        List<SchemaVersion> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectSoftDeleted(subject);
        }
        for (SchemaVersion v : live) {
            write(schemaKey(subject, v.version()), schemaValue(new SchemaVersion(subject, v.version(), v.id(), v.schema(), true)));
        }
        if (subjectLevels.containsKey(subject)) {
            write(configKey(subject), null);
        }
        return live.stream().map(SchemaVersion::version).toList();
    }

    /** Soft-deletes one version; returns its number. */
    synchronized int deleteVersion(String subject, String versionText) {
        int requested = parseVersion(versionText);
        NavigableMap<Integer, SchemaVersion> all = subjects.get(subject);
        if (all == null || all.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        SchemaVersion target = requested == LATEST ? version(subject, versionText) : all.get(requested);
        if (target == null) {
            throw RegistryException.versionNotFound(versionText);
        }
        if (target.deleted()) {
            throw RegistryException.versionSoftDeleted(subject, target.version());
        }
        write(schemaKey(subject, target.version()),
                schemaValue(new SchemaVersion(subject, target.version(), target.id(), target.schema(), true)));
        return target.version();
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** Sets the global level when {@code subject} is null, else the subject's override. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        ObjectNode value = json.createObjectNode().put("compatibilityLevel", level.name());
        write(configKey(subject), value.toString());
    }

    /** Removes the subject's override and returns the level it had. */
    synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
        CompatibilityLevel old = subjectLevels.get(subject);
        if (old == null) {
            throw RegistryException.noSubjectCompatibility(subject);
        }
        write(configKey(subject), null);
        return old;
    }

    /** Applies one log record to the in-memory state; record types this registry does not use are skipped. */
    synchronized void apply(String keyJson, String valueJson) {
        try {
            JsonNode key = json.readTree(keyJson);
            JsonNode value = valueJson == null ? null : json.readTree(valueJson);
            String subject = key.path("subject").isTextual() ? key.get("subject").asText() : null;
            switch (key.path("keytype").asText()) {
                case "SCHEMA" -> applySchema(subject, key.path("version").asInt(), value);
                case "CONFIG" -> applyConfig(subject, value);
                default -> {
                }
            }
        } catch (JsonProcessingException e) {
            LOG.warn("Skipping unreadable schema log record {}: {}", keyJson, e.getOriginalMessage());
        }
    }

    private void applySchema(String subject, int version, JsonNode value) {
        if (subject == null) {
            return;
        }
        TreeMap<Integer, SchemaVersion> versions = subjects.computeIfAbsent(subject, s -> new TreeMap<>());
        if (value == null) {
            versions.remove(version);
            return;
        }
        int id = value.path("id").asInt();
        String schema = value.path("schema").asText();
        versions.put(version, new SchemaVersion(subject, version, id, schema, value.path("deleted").asBoolean(false)));
        schemasById.putIfAbsent(id, schema);
        idsBySchema.putIfAbsent(schema, id);
        maxId = Math.max(maxId, id);
    }

    private void applyConfig(String subject, JsonNode value) {
        Optional<CompatibilityLevel> level = value == null ? Optional.empty()
                : CompatibilityLevel.parse(value.path("compatibilityLevel").asText(null));
        if (subject == null) {
            globalLevel = level.orElse(DEFAULT_LEVEL);
        } else if (level.isPresent()) {
            subjectLevels.put(subject, level.get());
        } else {
            subjectLevels.remove(subject);
        }
    }

    private void write(String key, String value) {
        log.append(key, value);
        apply(key, value);
    }

    private List<SchemaVersion> live(String subject) {
        NavigableMap<Integer, SchemaVersion> all = subjects.get(subject);
        if (all == null) {
            return List.of();
        }
        return all.values().stream().filter(v -> !v.deleted()).toList();
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    /** Confluent's details list for the first earlier version (newest first) the candidate is incompatible with. */
    private List<String> problems(CompatibilityLevel level, Schema candidate, List<SchemaVersion> earlier) {
        for (int i = earlier.size() - 1; i >= 0; i--) {
            SchemaVersion old = earlier.get(i);
            List<String> problems = new ArrayList<>(level.check(candidate, new Schema.Parser().parse(old.schema())));
            if (!problems.isEmpty()) {
                problems.add("{oldSchemaVersion: " + old.version() + "}");
                problems.add("{oldSchema: '" + old.schema() + "'}");
                problems.add("{validateFields: 'false', compatibility: '" + level + "'}");
                return problems;
            }
        }
        return List.of();
    }

    static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema " + schemaText + ", details: " + e.getMessage());
        }
    }

    private static int parseVersion(String text) {
        if ("latest".equals(text)) {
            return LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == LATEST || version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the registry's own error
        }
        throw RegistryException.invalidVersion(text);
    }

    private String schemaKey(String subject, int version) {
        ObjectNode key = json.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version);
        return key.put("magic", 1).toString();
    }

    private String schemaValue(SchemaVersion v) {
        return json.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                .put("schema", v.schema()).put("deleted", v.deleted()).toString();
    }

    private String configKey(String subject) {
        ObjectNode key = json.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return key.put("magic", 0).toString();
    }
}

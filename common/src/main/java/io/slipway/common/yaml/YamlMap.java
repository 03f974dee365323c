package io.slipway.common.yaml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mapping of a document read by {@link StrictYaml}: plain keys, each given once (and, when the caller said which,
 * each known), in the order written, with the line of each key.
 */
public final class YamlMap {

    record Entry(int keyLine, YamlNode value) {
    }

    private final YamlNode node;
    private final Map<String, Entry> entries;

    YamlMap(YamlNode node, Map<String, Entry> entries) {
        this.node = node;
        this.entries = entries;
    }

    /** The mapping itself, for messages about it as a whole. */
    public YamlNode node() {
        return node;
    }

    /** The keys in the order written. */
    public Set<String> keys() {
        return entries.keySet();
    }

    /** Whether the key is written, even with an empty value. */
    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value of the key when it is written, even when empty. */
    public Optional<YamlNode> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::value);
    }

    /** The value of the key when it is written and not empty: {@code key:} alone counts as not given. */
    public Optional<YamlNode> optional(String key) {
        return get(key).filter(value -> !value.isNull());
    }

    /** The value of the key, which must be written and not empty. */
    public YamlNode required(String key) {
        return optional(key).orElseThrow(() -> missing(key));
    }

    /** The refusal for a missing key: {@code line N: key 'path' is required}, at the mapping's line. */
    public InvalidYaml missing(String key) {
        return InvalidYaml.at(node.source(), node.line(), "key '" + YamlNode.shorten(node.child(key)) + "' is required");
    }

    /** A refusal of the key itself (not its value): {@code line N: key 'path' <problem>}, at the key's line. */
    public InvalidYaml invalidKey(String key, String problem) {
        return InvalidYaml.at(node.source(), keyLine(key), "key '" + YamlNode.shorten(node.child(key)) + "' " + problem);
    }

    /** The line where the key is written. */
    public int keyLine(String key) {
        Entry entry = entries.get(key);
        return entry == null ? node.line() : entry.keyLine();
    }

    /** The line of every key written here, by its full path. */
    public Map<String, Integer> keyLines() {
        Map<String, Integer> lines = new LinkedHashMap<>();
        entries.forEach((key, entry) -> lines.put(node.child(key), entry.keyLine()));
        return lines;
    }
}

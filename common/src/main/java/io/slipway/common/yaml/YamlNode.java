package io.slipway.common.yaml;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One value of a document read by {@link StrictYaml}, with its path ({@code openstack.test.flavor},
 * {@code commandTests[2].name}) and line. The typed accessors refuse anything else with an {@link InvalidYaml}
 * of the form {@code line N: key 'path' must be …, not …}; {@link #invalid} and {@link #error} give callers the same
 * form for their own rules.
 */
public final class YamlNode {

    /** What a node holds, as YAML 1.1 resolves plain scalars ({@code yes} is a boolean, {@code 1} a number). */
    public enum Kind { MAPPING, LIST, NULL, TEXT, NUMBER, BOOLEAN, DATE, OTHER }

    private static final int MAX_SHOWN = 60;

    private final String source;
    private final String path;
    private final Node node;

    YamlNode(String source, String path, Node node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    /** The document's name as messages call it. */
    public String source() {
        return source;
    }

    /** Where the value sits: dotted keys and {@code [i]} list indexes; empty for the document itself. */
    public String path() {
        return path;
    }

    /** The 1-based line where the value starts. */
    public int line() {
        return line(node);
    }

    public Kind kind() {
        if (node instanceof MappingNode) {
            return Kind.MAPPING;
        }
        if (node instanceof SequenceNode) {
            return Kind.LIST;
        }
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return Kind.NULL;
        }
        if (tag.equals(Tag.STR)) {
            return Kind.TEXT;
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return Kind.NUMBER;
        }
        if (tag.equals(Tag.BOOL)) {
            return Kind.BOOLEAN;
        }
        return tag.equals(Tag.TIMESTAMP) ? Kind.DATE : Kind.OTHER;
    }

    /** Whether the value is empty ({@code key:} with nothing after it, {@code ~} or {@code null}). */
    public boolean isNull() {
        return kind() == Kind.NULL;
    }

    /** This mapping, whose keys must all be in {@code known}. */
    public YamlMap map(Collection<String> known) {
        return map(known, key -> null);
    }

    /**
     * This mapping, whose keys must all be in {@code known}; {@code hint} may explain an unknown key better than the
     * list of known keys (null: list them).
     */
    public YamlMap map(Collection<String> known, Function<String, String> hint) {
        MappingNode mapping = mapping();
        Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw InvalidYaml.at(source, line(tuple.getKeyNode()), "keys must be plain names, not "
                        + describe(new YamlNode(source, path, tuple.getKeyNode())));
            }
            String key = keyNode.getValue();
            String keyPath = child(key);
            int keyLine = line(keyNode);
            if (known != null && !known.contains(key)) {
                String why = hint.apply(key);
                throw InvalidYaml.at(source, keyLine, "key '" + shorten(keyPath) + "' is unknown ("
                        + (why != null ? why : "known keys: " + String.join(", ", known)) + ")");
            }
            if (entries.put(key, new YamlMap.Entry(keyLine, new YamlNode(source, keyPath, tuple.getValueNode()))) != null) {
                throw InvalidYaml.at(source, keyLine, "key '" + shorten(keyPath) + "' is given twice");
            }
        }
        return new YamlMap(this, entries);
    }

    /** This mapping, with any keys (they must still be plain names, each given once). */
    public YamlMap map() {
        return map(null, key -> null);
    }

    /** The items of this list, each with its {@code [i]} path. */
    public List<YamlNode> list() {
        if (!(node instanceof SequenceNode sequence)) {
            throw mustBe("a list");
        }
        List<YamlNode> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            items.add(new YamlNode(source, path + "[" + items.size() + "]", item));
        }
        return List.copyOf(items);
    }

    /** The value when it is text (quoted, or plain and not a number, boolean, date or null). */
    public String text() {
        if (kind() != Kind.TEXT) {
            throw mustBe("text");
        }
        return ((ScalarNode) node).getValue();
    }

    /** The value as written when it is a single value of any kind but empty ({@code 8080}, {@code yes}, {@code a}). */
    public String scalar() {
        if (!(node instanceof ScalarNode scalar) || isNull()) {
            throw mustBe("a single value");
        }
        return scalar.getValue();
    }

    /** A whole number as YAML writes it ({@code 8080}, {@code 0x1F}, {@code 1_000}) that fits an int. */
    public int integer() {
        String value = node instanceof ScalarNode scalar && !isNull() ? scalar.getValue() : null;
        try {
            return Integer.decode(value == null ? "" : value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid("must be an integer, not " + asWritten());
        }
    }

    /** {@code true}/{@code false}, or YAML 1.1's {@code yes}/{@code no}, {@code on}/{@code off}, {@code y}/{@code n}. */
    public boolean bool() {
        String value = node instanceof ScalarNode scalar ? scalar.getValue().toLowerCase(Locale.ROOT) : "";
        return switch (value) {
            case "true", "yes", "on", "y" -> true;
            case "false", "no", "off", "n" -> false;
            default -> throw invalid("must be true or false, not " + asWritten());
        };
    }

    /** A duration in the one syntax of {@link DurationSyntax}. */
    public Duration duration() {
        String value = node instanceof ScalarNode scalar && !isNull() ? scalar.getValue() : null;
        try {
            if (value == null) {
                throw new IllegalArgumentException("");
            }
            return DurationSyntax.parse(value);
        } catch (IllegalArgumentException e) {
            String why = e.getMessage() == null || e.getMessage().isEmpty() ? "" : " (" + e.getMessage() + ")";
            throw invalid("must be a duration like " + DurationSyntax.EXAMPLES + ", not " + asWritten() + why);
        }
    }

    /** A refusal of this value: {@code line N: key 'path' <problem>}. */
    public InvalidYaml invalid(String problem) {
        return InvalidYaml.at(source, line(), subject() + " " + problem);
    }

    /** A refusal at this value's line with a message of the caller's own. */
    public InvalidYaml error(String detail) {
        return InvalidYaml.at(source, line(), detail);
    }

    /** How messages show the value: {@code a list}, {@code a number}, {@code empty}, {@code 'text'} … */
    public String shown() {
        return describe(this);
    }

    /** How messages show a value the caller quotes, cut to a readable length and without control characters. */
    public static String shorten(String value) {
        String cut = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN - 1) + "…" : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String subject() {
        return path.isEmpty() ? "the file" : "key '" + shorten(path) + "'";
    }

    private MappingNode mapping() {
        if (!(node instanceof MappingNode mapping)) {
            throw mustBe("a mapping");
        }
        return mapping;
    }

    private InvalidYaml mustBe(String expected) {
        return invalid("must be " + expected + ", not " + describe(this));
    }

    /** A scalar quoted as written, else its kind. */
    private String asWritten() {
        return node instanceof ScalarNode scalar && !isNull() ? "'" + shorten(scalar.getValue()) + "'" : describe(this);
    }

    private static String describe(YamlNode value) {
        return switch (value.kind()) {
            case MAPPING -> "a mapping";
            case LIST -> "a list";
            case NULL -> "empty";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case DATE -> "a date";
            case TEXT, OTHER -> "'" + shorten(((ScalarNode) value.node).getValue()) + "'";
        };
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }
}

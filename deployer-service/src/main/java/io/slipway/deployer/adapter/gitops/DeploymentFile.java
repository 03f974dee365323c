package io.slipway.deployer.adapter.gitops;

import io.slipway.common.yaml.StrictYaml;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes an image into a deployment repository's YAML file: a Kustomize {@code images:} entry ({@code name},
 * {@code newName}, {@code digest}; a {@code newTag} is removed since the digest decides) or a dotted path of Helm
 * values set to the full reference. The file goes through a YAML node tree with comments kept; key order is kept, but
 * indentation and quoting are rewritten in one block style, and a comment at an unusual place may move or be lost.
 */
final class DeploymentFile {

    /** The file cannot hold the image as configured (not YAML, not a mapping, a path through a list …). */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    /** What to write: Kustomize's entry for {@code image}, or the Helm value at {@code valuePath}. */
    sealed interface Edit {
        record Kustomize(String image, String newName, String digest) implements Edit {
        }

        record Helm(String valuePath, String reference) implements Edit {
        }
    }

    private DeploymentFile() {
    }

    /** The file with the edit applied, or empty when it already says what the edit would write. */
    static Optional<String> apply(String name, String text, Edit edit) throws Unusable {
        Node root = compose(name, text);
        if (!(root instanceof MappingNode mapping)) {
            throw new Unusable(name + " is not a YAML mapping");
        }
        boolean changed = edit instanceof Edit.Kustomize kustomize ? kustomize(name, mapping, kustomize)
                : helm(name, mapping, (Edit.Helm) edit);
        return changed ? Optional.of(dump(root)) : Optional.empty();
    }

    private static boolean kustomize(String name, MappingNode root, Edit.Kustomize edit) throws Unusable {
        Node images = value(root, "images");
        if (images == null || isNull(images)) {
            images = new SequenceNode(Tag.SEQ, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
            put(root, "images", images);
        }
        if (!(images instanceof SequenceNode list)) {
            throw new Unusable(name + ": 'images' is not a list");
        }
        MappingNode entry = null;
        for (Node item : list.getValue()) {
            if (item instanceof MappingNode candidate && edit.image().equals(text(value(candidate, "name")))) {
                entry = candidate;
            }
        }
        if (entry == null) {
            entry = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
            put(entry, "name", scalar(edit.image()));
            list.getValue().add(entry);
        }
        if (edit.newName().equals(text(value(entry, "newName"))) && edit.digest().equals(text(value(entry, "digest")))
                && value(entry, "newTag") == null) {
            return false;
        }
        put(entry, "newName", scalar(edit.newName()));
        entry.getValue().removeIf(tuple -> "newTag".equals(text(tuple.getKeyNode())));
        put(entry, "digest", scalar(edit.digest()));
        entry.setFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return true;
    }

    private static boolean helm(String name, MappingNode root, Edit.Helm edit) throws Unusable {
        String[] keys = edit.valuePath().split("\\.");
        MappingNode mapping = root;
        for (int i = 0; i < keys.length - 1; i++) {
            Node next = value(mapping, keys[i]);
            if (next == null || isNull(next)) {
                next = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
                put(mapping, keys[i], next);
            }
            if (!(next instanceof MappingNode child)) {
                throw new Unusable(name + ": '" + String.join(".", List.of(keys).subList(0, i + 1))
                        + "' is not a mapping, so value-path '" + edit.valuePath() + "' cannot be set");
            }
            mapping = child;
        }
        String last = keys[keys.length - 1];
        Node current = value(mapping, last);
        if (current != null && !(current instanceof ScalarNode)) {
            throw new Unusable(name + ": '" + edit.valuePath() + "' is a list or mapping, not a single value");
        }
        if (edit.reference().equals(text(current))) {
            return false;
        }
        put(mapping, last, scalar(edit.reference()));
        return true;
    }

    private static Node compose(String name, String text) throws Unusable {
        if (text.length() > StrictYaml.MAX_CHARACTERS) {
            throw new Unusable(name + " is larger than " + StrictYaml.MAX_CHARACTERS + " characters");
        }
        LoaderOptions options = new LoaderOptions();
        options.setProcessComments(true);
        options.setCodePointLimit(StrictYaml.MAX_CHARACTERS);
        options.setNestingDepthLimit(StrictYaml.MAX_DEPTH);
        options.setMaxAliasesForCollections(StrictYaml.MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        try {
            Node root = new Yaml(options).compose(new StringReader(text));
            if (root == null) {
                throw new Unusable(name + " is empty");
            }
            return root;
        } catch (YAMLException e) {
            throw new Unusable(name + " is not valid YAML: " + e.getMessage());
        }
    }

    private static String dump(Node root) {
        DumperOptions options = new DumperOptions();
        options.setProcessComments(true);
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(Integer.MAX_VALUE);
        StringWriter out = new StringWriter();
        new Yaml(options).serialize(root, out);
        return out.toString();
    }

    private static Node value(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (key.equals(text(tuple.getKeyNode()))) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private static void put(MappingNode mapping, String key, Node value) {
        List<NodeTuple> tuples = mapping.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            if (key.equals(text(tuples.get(i).getKeyNode()))) {
                tuples.set(i, new NodeTuple(tuples.get(i).getKeyNode(), value));
                return;
            }
        }
        tuples.add(new NodeTuple(scalar(key), value));
    }

    private static ScalarNode scalar(String value) {
        return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static String text(Node node) {
        return node instanceof ScalarNode scalar && !isNull(node) ? scalar.getValue() : null;
    }
}

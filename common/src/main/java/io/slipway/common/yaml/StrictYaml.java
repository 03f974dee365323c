package io.slipway.common.yaml;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.Optional;

/**
 * Reads a YAML document that a repository or an operator wrote ({@code .slipway.yml}, test suites) with the limits
 * that keep a hostile file harmless: at most {@value #MAX_CHARACTERS} characters, {@value #MAX_DEPTH} levels of
 * nesting, {@value #MAX_ALIASES} aliases of lists or mappings and {@value #MAX_NODES} keys, values and list items
 * counted through aliases (so a "billion laughs" file is refused, not expanded). The document is composed to nodes
 * only, never to objects; {@link YamlNode} then gives typed access whose every error names the line and the key.
 */
public final class StrictYaml {

    public static final int MAX_CHARACTERS = 512 * 1024;
    public static final int MAX_DEPTH = 32;
    public static final int MAX_ALIASES = 20;
    public static final int MAX_NODES = 50_000;

    private StrictYaml() {
    }

    /**
     * Parses one document; empty when the text holds none (nothing, or only comments).
     *
     * @param source how messages name the document, e.g. {@code .slipway.yml}
     * @throws InvalidYaml when it is not YAML, holds more than one document or exceeds a limit
     */
    public static Optional<YamlNode> read(String source, String text) {
        if (text.length() > MAX_CHARACTERS) {
            throw InvalidYaml.at(source, 0, "the file is larger than " + MAX_CHARACTERS + " characters");
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CHARACTERS);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw InvalidYaml.at(source, mark == null ? 1 : mark.getLine() + 1, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw InvalidYaml.at(source, 0, "refused: " + e.getMessage() + " (limits: " + MAX_DEPTH
                    + " levels of nesting, " + MAX_ALIASES + " aliases of lists or mappings)");
        }
        if (root == null) {
            return Optional.empty();
        }
        new Budget(source).count(root, 1);
        return Optional.of(new YamlNode(source, "", root));
    }

    /** Counts nodes as a reader of the tree meets them, following aliases, which is where an alias bomb explodes. */
    private static final class Budget {
        private final String source;
        private int nodes;

        Budget(String source) {
            this.source = source;
        }

        void count(Node node, int depth) {
            if (++nodes > MAX_NODES) {
                throw InvalidYaml.at(source, 0, "refused: more than " + MAX_NODES
                        + " keys, values and list items (counting what aliases repeat)");
            }
            if (depth > MAX_DEPTH) {
                throw InvalidYaml.at(source, YamlNode.line(node), "refused: nested deeper than " + MAX_DEPTH
                        + " levels (an alias that contains itself?)");
            }
            if (node instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    count(tuple.getKeyNode(), depth + 1);
                    count(tuple.getValueNode(), depth + 1);
                }
            } else if (node instanceof SequenceNode sequence) {
                for (Node item : sequence.getValue()) {
                    count(item, depth + 1);
                }
            }
        }
    }
}

package io.slipway.devstack.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Confluent compatibility levels, checked with Avro's own {@link SchemaCompatibility}: BACKWARD means the new
 * schema can read data written with the old one, FORWARD the reverse, FULL both; the transitive variants hold the
 * new schema against every live version of the subject instead of only the latest.
 */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    static final String INVALID_MESSAGE = "Invalid compatibility level. Valid values are none, backward, forward, full, "
            + "backward_transitive, forward_transitive, and full_transitive";

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level named {@code name}, case-insensitively; empty for anything else. */
    static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    boolean transitive() {
        return transitive;
    }

    /** Incompatibilities of {@code candidate} against one earlier schema, described as Confluent does; empty when compatible. */
    List<String> check(Schema candidate, Schema earlier) {
        List<String> problems = new ArrayList<>();
        if (backward) {
            describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, earlier), "new", "old", problems);
        }
        if (forward) {
            describe(SchemaCompatibility.checkReaderWriterCompatibility(earlier, candidate), "old", "new", problems);
        }
        return problems;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, String reader, String writer,
                                 List<String> problems) {
        for (Incompatibility i : result.getResult().getIncompatibilities()) {
            String path = i.getLocation();
            String info = i.getMessage();
            String description = switch (i.getType()) {
                case READER_FIELD_MISSING_DEFAULT_VALUE -> "The field '" + info + "' at path '" + path + "' in the "
                        + reader + " schema has no default value and is missing in the " + writer + " schema";
                case TYPE_MISMATCH -> "The type (path '" + path + "') of a field in the " + reader
                        + " schema does not match with the " + writer + " schema";
                case NAME_MISMATCH -> "The name of the schema has changed (path '" + path + "')";
                case FIXED_SIZE_MISMATCH -> "The size of FIXED type field at path '" + path + "' in the " + reader
                        + " schema does not match with the " + writer + " schema";
                case MISSING_ENUM_SYMBOLS -> "The " + reader + " schema is missing enum symbols '" + info + "' at path '"
                        + path + "' in the " + writer + " schema";
                case MISSING_UNION_BRANCH -> "The " + reader + " schema is missing a type inside a union field at path '"
                        + path + "' in the " + writer + " schema";
                default -> info + " (path '" + path + "')";
            };
            problems.add("{errorType:'" + i.getType() + "', description:'" + description + "', additionalInfo:'" + info + "'}");
        }
    }
}

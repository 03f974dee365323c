package io.slipway.common.yaml;

/**
 * A YAML document that cannot be used as written. The message is {@code <source> line <N>: <detail>}, or
 * {@code <source>: <detail>} when no single line is at fault (a limit of the whole document).
 */
public final class InvalidYaml extends RuntimeException {

    private final String source;
    private final int line;
    private final String detail;

    private InvalidYaml(String source, int line, String detail) {
        super(line > 0 ? source + " line " + line + ": " + detail : source + ": " + detail);
        this.source = source;
        this.line = line;
        this.detail = detail;
    }

    /** A problem at {@code line} (1-based) of {@code source}; a line below 1 names the whole document. */
    public static InvalidYaml at(String source, int line, String detail) {
        return new InvalidYaml(source, line, detail);
    }

    /** The document's name as messages call it, e.g. {@code .slipway.yml} or a suite's path. */
    public String source() {
        return source;
    }

    /** The 1-based line at fault, or 0 when the whole document is. */
    public int line() {
        return line;
    }

    /** The message without the source and line. */
    public String detail() {
        return detail;
    }
}

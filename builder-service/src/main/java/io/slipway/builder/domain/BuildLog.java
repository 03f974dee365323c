package io.slipway.builder.domain;

import io.slipway.common.text.SecretMask;
import io.slipway.common.text.TerminalText;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The log of one build as it streams: text is cut into lines, each line is stripped of terminal escapes and control
 * characters ({@link TerminalText}) and masked ({@link SecretMask}) before it goes anywhere, passed to a sink (the
 * service log) and kept in a buffer bounded to {@code capacityBytes}, from which {@link #excerpt(int)} takes the last
 * lines for {@code BuildFailed}.
 */
public final class BuildLog {

    static final int MAX_LINE_BYTES = 2048;

    private final SecretMask mask;
    private final int capacityBytes;
    private final Consumer<String> sink;
    private final Deque<String> lines = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private int bufferedBytes;

    public BuildLog(SecretMask mask, int capacityBytes, Consumer<String> sink) {
        this.mask = mask;
        this.capacityBytes = capacityBytes;
        this.sink = sink;
    }

    /** Appends streamed text; complete lines are masked, emitted and kept, a trailing partial line waits. */
    public synchronized void append(String text) {
        partial.append(text);
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            emit(partial.substring(0, newline));
            partial.delete(0, newline + 1);
        }
        if (partial.length() > MAX_LINE_BYTES * 4) {
            emit(partial.toString());
            partial.setLength(0);
        }
    }

    /** Appends one complete line. */
    public synchronized void line(String line) {
        append(line.endsWith("\n") ? line : line + "\n");
    }

    /** Emits a trailing partial line as a line of its own: the output ended without a newline. */
    public synchronized void flush() {
        if (!partial.isEmpty()) {
            emit(partial.toString());
            partial.setLength(0);
        }
    }

    /** The last lines, at most {@code maxBytes} of UTF-8 in total, or null when nothing was logged. */
    public synchronized String excerpt(int maxBytes) {
        flush();
        Deque<String> tail = new ArrayDeque<>();
        int total = 0;
        for (Iterator<String> it = lines.descendingIterator(); it.hasNext(); ) {
            String line = it.next();
            int size = bytes(line) + 1;
            if (total + size > maxBytes) {
                break;
            }
            tail.addFirst(line);
            total += size;
        }
        return tail.isEmpty() ? null : String.join("\n", tail);
    }

    private void emit(String raw) {
        String line = truncate(mask.apply(TerminalText.strip(raw)));
        sink.accept(line);
        lines.addLast(line);
        bufferedBytes += bytes(line) + 1;
        while (bufferedBytes > capacityBytes && lines.size() > 1) {
            bufferedBytes -= bytes(lines.removeFirst()) + 1;
        }
    }

    private static String truncate(String line) {
        if (bytes(line) <= MAX_LINE_BYTES) {
            return line;
        }
        String cut = line.substring(0, Math.min(line.length(), MAX_LINE_BYTES / 2));
        return cut + " …[line truncated]";
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

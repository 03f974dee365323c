package io.slipway.container;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's size notation ({@code --memory 512m}, {@code --tmpfs size=64m}), the one reading of every size setting:
 * a whole number with an optional unit {@code k}, {@code m} or {@code g} (powers of 1024; one space before it and a
 * trailing {@code b}/{@code ib} allowed, case ignored). {@code 0} is zero, which the settings read as "no limit".
 */
public final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,18}) ?([kmg]?)(?:i?b)?");

    private ByteSizes() {
    }

    /**
     * The number of bytes {@code size} names.
     *
     * @throws IllegalArgumentException when it is not such a size, or overflows a long
     */
    public static long parse(String size) {
        Matcher m = SIZE.matcher(size == null ? "" : size.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a size must look like 512m or 1g, not '" + size + "'");
        }
        long unit = switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the size '" + size + "' is too large", e);
        }
    }
}

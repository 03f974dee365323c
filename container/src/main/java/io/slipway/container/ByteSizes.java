package io.slipway.container;

import java.util.Locale;

/**
 * Docker's size notation ({@code --memory 512m}, {@code --tmpfs size=64m}): a whole number with an optional unit
 * {@code b}, {@code k}, {@code m} or {@code g} (powers of 1024, an optional trailing {@code b}/{@code ib} allowed).
 */
public final class ByteSizes {

    private ByteSizes() {
    }

    /**
     * The number of bytes {@code size} names.
     *
     * @throws IllegalArgumentException when it is not such a size, or overflows a long
     */
    public static long parse(String size) {
        String s = size == null ? "" : size.strip().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long unit = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        if (!digits.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("a size must look like 512m or 1g, not '" + size + "'");
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the size '" + size + "' is too large", e);
        }
    }
}

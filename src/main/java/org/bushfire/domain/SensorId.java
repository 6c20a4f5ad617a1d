package org.bushfire.domain;

import java.util.Objects;

/**
 * A sensor id as it appeared in the input: its text (what ids compare by) and whether it was a JSON number.
 */
public final class SensorId {
    /** Longest id accepted from a sensor; longer ones are malformed input, not something to log or alert on. */
    public static final int MAX_LENGTH = 128;

    private final String text;
    private final boolean numeric;

    public SensorId(String text, boolean numeric) {
        this.text = Objects.requireNonNull(text, "text");
        this.numeric = numeric;
    }

    public String text() {
        return text;
    }

    public boolean numeric() {
        return numeric;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorId && ((SensorId) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * Why {@code text} cannot be a sensor or network id, or null when it can. Ids reach logs, SNS messages and
     * dashboards, so control characters and unbounded lengths are refused at the door.
     */
    public static String problemWith(String text) {
        if (text.isEmpty()) {
            return "is empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c) && !validSurrogateAt(text, i)) {
                return "contains control or invalid characters";
            }
        }
        return null;
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}

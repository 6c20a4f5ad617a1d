package org.bushfire.domain;

import java.util.Locale;

/**
 * Sensor and network ids come from the field and are untrusted. The parser already refuses control characters,
 * but everything a person reads — e-mail, SMS, a CAP headline — goes through here again: control, format (e.g.
 * right-to-left overrides) and line-separator characters are stripped and every displayed id is capped, so an id
 * can never forge extra lines, hide text, or make an XML document invalid (XML 1.0 forbids most control
 * characters, and an XML writer does not refuse them).
 */
public final class UntrustedText {
    /** Longest sensor or network id shown to a person; longer ones are cut and marked with an ellipsis. */
    public static final int MAX_DISPLAYED_ID_LENGTH = 40;

    private UntrustedText() {}

    /** An id as shown to a person: invisible and line-breaking characters removed, at most 40 characters. */
    public static String displayed(String id) {
        return cap(visible(id), MAX_DISPLAYED_ID_LENGTH, "…");
    }

    /** Drops control, format, line/paragraph separator, private-use, unassigned and lone surrogate characters. */
    public static String visible(String text) {
        if (text == null) {
            return "?";
        }
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().filter(UntrustedText::isVisible).forEach(sb::appendCodePoint);
        return sb.length() == 0 ? "?" : sb.toString();
    }

    /** Printable ASCII only: anything else becomes '?', so a subject can never carry a line break. */
    public static String ascii(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> sb.append(cp >= 0x20 && cp < 0x7f ? (char) cp : '?'));
        return sb.length() == 0 ? "?" : sb.toString();
    }

    /** At most {@code max} code points, the last ones replaced by {@code mark} when cut. */
    public static String cap(String text, int max, String mark) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        int keep = Math.max(0, max - mark.length());
        return text.substring(0, text.offsetByCodePoints(0, keep)) + mark;
    }

    /** The parser already checks ranges; a link to a bogus place would still send a crew the wrong way. */
    public static boolean isUsablePosition(Double lat, Double lon) {
        return lat != null && lon != null && Double.isFinite(lat) && Double.isFinite(lon)
                && Math.abs(lat) <= 90.0 && Math.abs(lon) <= 180.0;
    }

    /** An OpenStreetMap link with a marker at the position. */
    public static String mapLink(double lat, double lon) {
        String la = coordinate(lat);
        String lo = coordinate(lon);
        return "https://www.openstreetmap.org/?mlat=" + la + "&mlon=" + lo + "#map=" + 14 + "/" + la + "/" + lo;
    }

    /** Five decimals: about a metre, more than a sensor's GPS knows. */
    public static String coordinate(double degrees) {
        return String.format(Locale.ROOT, "%.5f", degrees);
    }

    private static boolean isVisible(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.PRIVATE_USE:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
                return false;
            default:
                return true;
        }
    }
}

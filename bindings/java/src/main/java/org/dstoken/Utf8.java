package org.dstoken;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Strict String -> UTF-8 conversion for the native calls. */
final class Utf8 {
    private Utf8() {}

    /**
     * Returns {@code s} after checking that it can cross to C unchanged. Throws
     * NullPointerException naming {@code what} for null, IllegalArgumentException (naming the
     * Java method and argument) for U+0000 (a C string cannot carry it) or an unpaired surrogate
     * (String.getBytes would silently turn it into '?').
     */
    static String check(String s, String what, String method) {
        Objects.requireNonNull(s, what);
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0xD800) {
                if (c == 0) {
                    throw new IllegalArgumentException(
                            method + ": " + what + " contains U+0000, which dstoken cannot pass to C");
                }
            } else if (c <= 0xDFFF) {
                if (c > 0xDBFF || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException(method + ": " + what
                            + " is not valid Unicode (unpaired surrogate at index " + i + ")");
                }
                i++;
            }
        }
        return s;
    }

    /** The UTF-8 bytes of {@code s}, checked as by {@link #check}. */
    static byte[] encode(String s, String what, String method) {
        return check(s, what, method).getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #encode} for internal callers that name only the argument. */
    static byte[] encode(String s, String what) {
        return encode(s, what, "dstoken");
    }

    /** An upper bound of the UTF-8 length of a checked string (3 bytes per UTF-16 unit). */
    static int maxLength(String s) {
        return s.length() * 3;
    }

    /**
     * Writes the UTF-8 of a string already passed through {@link #check} at {@code pos}, then a
     * NUL; returns the position after the NUL.
     */
    static int putZ(String s, byte[] buf, int pos) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buf[pos++] = (byte) (0xE0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        buf[pos++] = 0;
        return pos;
    }

    static String decode(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

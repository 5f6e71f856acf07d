package org.dstoken;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Strict String -> UTF-8 conversion for the native calls. */
final class Utf8 {
    private Utf8() {}

    /**
     * The UTF-8 bytes of {@code s}. Throws NullPointerException naming {@code what} for null,
     * IllegalArgumentException for U+0000 (a C string cannot carry it) or an unpaired
     * surrogate (String.getBytes would silently turn it into '?').
     */
    static byte[] encode(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains U+0000, which dstoken cannot pass to C");
        }
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)", e);
        }
    }

    static String decode(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

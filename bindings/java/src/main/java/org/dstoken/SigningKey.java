package org.dstoken;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An HS256 signing key: the team's developer key, used as its raw bytes (never
 * base64-decoded). Immutable and thread-safe: one key may sign and verify on any number of
 * threads at once. Close it (try-with-resources) to wipe the native key state at once; a
 * Cleaner does it otherwise.
 */
public final class SigningKey extends NativeResource {
    private SigningKey(long handle) {
        super(handle, Native::keyFree, "SigningKey");
    }

    /**
     * A key from raw bytes (copied; the caller may wipe the array afterwards).
     *
     * @param secret the key bytes, non-empty
     * @return the key (close it when done)
     * @throws NullPointerException if {@code secret} is null
     * @throws DstokenException {@code DST_ERR_INVALID_ARGUMENT} for an empty key
     */
    public static SigningKey of(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        return new SigningKey(Native.keyNew(secret));
    }

    /**
     * A key from the developer key as shown on the dashboard (its UTF-8 bytes, not
     * base64-decoded), as Digital Samba's docs use it ({@code Algorithm.HMAC256(developerKey)}).
     *
     * @param developerKey the developer key
     * @return the key (close it when done)
     * @throws NullPointerException if {@code developerKey} is null
     * @throws DstokenException {@code DST_ERR_INVALID_ARGUMENT} for an empty key
     */
    public static SigningKey of(String developerKey) {
        Objects.requireNonNull(developerKey, "developerKey");
        byte[] bytes = developerKey.getBytes(StandardCharsets.UTF_8);
        try {
            return of(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return isClosed() ? "SigningKey[closed]" : "SigningKey[HS256]";
    }
}

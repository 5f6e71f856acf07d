package org.dstoken;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Signing, verification and join URLs for Digital Samba room tokens. */
public final class Dstoken {
    private Dstoken() {}

    /** The native library's version, e.g. "0.1.0". */
    public static String version() {
        return Native.version();
    }

    /**
     * Signs the claims with the key (HS256).
     *
     * @throws DstokenException MISSING_CLAIM without td/rd; INVALID_ARGUMENT if exp is before
     *     nbf or iat
     * @throws IllegalStateException if either object is closed
     */
    public static String sign(Claims claims, SigningKey key) {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(key, "key");
        byte[] token = claims.read(c -> key.read(k -> Native.sign(c, k)));
        return Utf8.decode(token);
    }

    /** Verifies at the current time with no leeway. */
    public static Claims verify(String token, SigningKey key) {
        return verify(token, key, Instant.now(), Duration.ZERO);
    }

    /**
     * Verifies a token: HS256 only, strict encoding, constant-time signature check, then exp/nbf
     * /iat against {@code now} with {@code leeway}. Returns its claims (close them when done).
     *
     * @throws DstokenException MALFORMED_TOKEN, UNSUPPORTED_ALGORITHM, BAD_SIGNATURE, EXPIRED,
     *     NOT_YET_VALID
     * @throws IllegalArgumentException if leeway is negative or over 2^32-1 seconds
     */
    public static Claims verify(String token, SigningKey key, Instant now, Duration leeway) {
        byte[] t = Utf8.encode(token, "token");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leeway, "leeway");
        long seconds = leeway.getSeconds();
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("leeway must be between 0 and 2^32-1 seconds, got " + leeway);
        }
        long handle = key.read(k -> Native.verify(t, k, now.getEpochSecond(), (int) seconds));
        return new Claims(handle);
    }

    /**
     * The URL that opens the room: {@code https://<team>.digitalsamba.com/<room>?token=...}
     * (or a custom domain when {@code team} contains a dot). A null token gives the public URL.
     */
    public static String joinUrl(String team, String room, String token) {
        byte[] te = Utf8.encode(team, "team");
        byte[] r = Utf8.encode(room, "room");
        byte[] to = token == null ? null : Utf8.encode(token, "token");
        return Utf8.decode(Native.joinUrl(te, r, to));
    }
}

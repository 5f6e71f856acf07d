package org.dstoken;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Minting, signing, verification and join URLs for Digital Samba room tokens.
 *
 * <pre>{@code
 * try (SigningKey key = SigningKey.of(developerKey)) {
 *     String token = Dstoken.mint(key, teamId, "daily-standup", "John Smith", "moderator", Duration.ofHours(1));
 * }
 * }</pre>
 *
 * Every method is thread-safe, and threads sharing one {@link SigningKey} do not contend (no
 * lock; a call counts itself in and out of the key on a counter of its own thread's). Every
 * rule is the native library's; its errors are {@link DstokenException}s (java-jwt-like
 * subclasses such as {@link TokenExpiredException}) whose message names the method called here
 * and the argument or claim at fault. Every token carries an expiry: the mints take a lifetime
 * (positive whole seconds, at most 30 days), and {@link #sign(Claims, SigningKey)} refuses
 * claims without one unless {@link Claims#noExpiry(boolean) noExpiry(true)}.
 */
public final class Dstoken {
    private Dstoken() {}

    /**
     * The native library's version.
     *
     * @return e.g. "0.1.0"
     */
    public static String version() {
        return Native.version();
    }

    /**
     * Where the native libraries were loaded from: the jar's bundled copy, the path of
     * {@code -Ddstoken.library.path}, or the system library path.
     *
     * @return a one-line description, e.g. {@code bundled copy (linux-x86_64, SHA-256 checked), ...}
     */
    public static String nativeLibrary() {
        return Native.ORIGIN;
    }

    /**
     * Mints a room token in one native call: {@code iat} = now, {@code exp} = now + lifetime.
     *
     * @param key the team's developer key
     * @param teamId {@code td}, the team id (required)
     * @param room {@code rd}, the room name or UUID (required)
     * @param lifetime how long the token is valid: whole seconds, at most 30 days
     * @return the token
     * @throws DstokenException MISSING_CLAIM without teamId/room, INVALID_ARGUMENT for an empty one
     *     or a non-positive lifetime
     * @throws IllegalStateException if the key is closed
     */
    public static String mint(SigningKey key, String teamId, String room, Duration lifetime) {
        return mint(key, teamId, room, null, null, null, lifetime);
    }

    /**
     * Mints a room token in one native call (the Digital Samba docs' example: a user with a
     * role): {@code iat} = now, {@code exp} = now + lifetime.
     *
     * @param key the team's developer key
     * @param teamId {@code td}, the team id (required)
     * @param room {@code rd}, the room name or UUID (required)
     * @param userName {@code u}, the user's display name, or null
     * @param role {@code role}, e.g. "moderator", or null
     * @param lifetime how long the token is valid: whole seconds, at most 30 days
     * @return the token
     * @throws DstokenException MISSING_CLAIM without teamId/room, INVALID_ARGUMENT for an empty one
     *     or a non-positive lifetime
     * @throws IllegalStateException if the key is closed
     */
    public static String mint(SigningKey key, String teamId, String room, String userName, String role,
            Duration lifetime) {
        return mint(key, teamId, room, userName, null, role, lifetime);
    }

    /**
     * Mints a room token in one native call: {@code iat} = now, {@code exp} = now + lifetime.
     * For the other claims, explicit times or custom claims use {@link Claims}. Like the
     * builder, it signs through a per-thread native claim set updated where values changed.
     *
     * @param key the team's developer key
     * @param teamId {@code td}, the team id (required)
     * @param room {@code rd}, the room name or UUID (required)
     * @param userName {@code u}, the user's display name, or null
     * @param userId {@code ud}, your id for the user, or null
     * @param role {@code role}, e.g. "moderator", or null
     * @param lifetime how long the token is valid: whole seconds, at most 30 days
     * @return the token
     * @throws DstokenException MISSING_CLAIM without teamId/room, INVALID_ARGUMENT for an empty one
     *     or a non-positive lifetime
     * @throws IllegalStateException if the key is closed
     */
    public static String mint(SigningKey key, String teamId, String room, String userName, String userId,
            String role, Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        String[] text = {teamId, room, userName, userId, null, role, null, null};
        return mintRelative(text, presentOf(text, "Dstoken.mint"), lifetime, 0, key, "Dstoken.mint");
    }

    /** The one-call mint's relative mode: iat = now, exp = now + lifetime (now 0: the clock). */
    static String mintRelative(String[] text, int present, Duration lifetime, long now, SigningKey key, String method) {
        return mintSlots(text, present, 0, 0, 0, lifetime.getSeconds(), lifetime.getNano(), 0, 0, now, key, method);
    }

    /**
     * Mints a room token and returns the join URL that carries it, in one native call
     * ({@code dst_mint_url}): {@code https://<team>.digitalsamba.com/<room>?token=...}.
     *
     * @param key the team's developer key
     * @param team the team's subdomain, or a custom domain (contains a dot)
     * @param teamId {@code td}, the team id (required)
     * @param room {@code rd}, the room name or UUID (required; also the URL's path)
     * @param userName {@code u}, the user's display name, or null
     * @param role {@code role}, e.g. "moderator", or null
     * @param lifetime how long the token is valid: whole seconds, at most 30 days
     * @return the join URL
     * @throws DstokenException as {@link #mint(SigningKey, String, String, String, String, Duration)},
     *     and INVALID_ARGUMENT for a bad team
     * @throws IllegalStateException if the key is closed
     */
    public static String mintUrl(SigningKey key, String team, String teamId, String room, String userName,
            String role, Duration lifetime) {
        return mintUrl(key, team, teamId, room, userName, null, role, lifetime);
    }

    /**
     * Mints a room token for a user with your id for them ({@code ud}) and returns the join URL
     * that carries it, in one native call ({@code dst_mint_url}).
     *
     * @param key the team's developer key
     * @param team the team's subdomain, or a custom domain (contains a dot)
     * @param teamId {@code td}, the team id (required)
     * @param room {@code rd}, the room name or UUID (required; also the URL's path)
     * @param userName {@code u}, the user's display name, or null
     * @param userId {@code ud}, your id for the user, or null
     * @param role {@code role}, e.g. "moderator", or null
     * @param lifetime how long the token is valid: whole seconds, at most 30 days
     * @return the join URL
     * @throws DstokenException as {@link #mint(SigningKey, String, String, String, String, String, Duration)},
     *     and INVALID_ARGUMENT for a bad team
     * @throws IllegalStateException if the key is closed
     */
    public static String mintUrl(SigningKey key, String team, String teamId, String room, String userName,
            String userId, String role, Duration lifetime) {
        String method = "Dstoken.mintUrl";
        Objects.requireNonNull(lifetime, "lifetime");
        byte[] t = Utf8.encode(team, "team", method);
        Objects.requireNonNull(key, "key");
        String[] text = {teamId, room, userName, userId, null, role, null, null};
        int present = presentOf(text, method);
        byte[] buf = pack(text, present);
        try {
            return Utf8.decode(key.with(k -> Native.mintUrl(buf, present, 0, 0, 0, lifetime.getSeconds(),
                    lifetime.getNano(), 0, 0, 0, k, t)));
        } catch (DstokenException e) {
            throw e.in(method);
        }
    }

    /**
     * {@link #mintUrl(SigningKey, String, String, String, String, String, String, Duration)} with
     * options: {@link UrlOption#ALLOW_PORT} accepts a custom domain with a port
     * ({@code meet.example.com:8443}). The token is minted as {@code mint} does, then joined to
     * the URL (dst_mint_url takes no options); without options, the same as the method above.
     *
     * @param key the team's developer key
     * @param team the team's subdomain, or a custom domain (contains a dot)
     * @param teamId {@code td}, the team id (required)
     * @param room {@code rd}, the room name or UUID (required; also the URL's path)
     * @param userName {@code u}, the user's display name, or null
     * @param userId {@code ud}, your id for the user, or null
     * @param role {@code role}, e.g. "moderator", or null
     * @param lifetime how long the token is valid: whole seconds, at most 30 days
     * @param options {@link UrlOption#ALLOW_PORT}, or none
     * @return the join URL
     * @throws DstokenException as {@link #mint(SigningKey, String, String, String, String, String, Duration)},
     *     and INVALID_ARGUMENT for a bad team (a port without {@link UrlOption#ALLOW_PORT}, an IP address)
     * @throws IllegalStateException if the key is closed
     * @throws NullPointerException if {@code options} or one of them is null
     */
    public static String mintUrl(SigningKey key, String team, String teamId, String room, String userName,
            String userId, String role, Duration lifetime, UrlOption... options) {
        String method = "Dstoken.mintUrl";
        int flags = urlFlags(options);
        if (flags == 0) {
            return mintUrl(key, team, teamId, room, userName, userId, role, lifetime);
        }
        Objects.requireNonNull(lifetime, "lifetime");
        byte[] t = Utf8.encode(team, "team", method);
        String[] text = {teamId, room, userName, userId, null, role, null, null};
        String token = mintRelative(text, presentOf(text, method), lifetime, 0, key, method);
        return joinUrl(method, t, Utf8.encode(room, "room", method), Utf8.encode(token, "token", method), flags);
    }

    /** The dst_join_url_opts flags of {@code options}. */
    private static int urlFlags(UrlOption[] options) {
        Objects.requireNonNull(options, "options");
        int flags = 0;
        for (UrlOption o : options) {
            switch (Objects.requireNonNull(o, "options contains null")) {
                case ALLOW_PORT -> flags |= URL_ALLOW_PORT;
            }
        }
        return flags;
    }

    /** DST_URL_ALLOW_PORT. */
    private static final int URL_ALLOW_PORT = 1;

    private static final String[] PARAMS = {"teamId", "room", "userName", "userId", "initials", "role",
        "breakoutId", "avatar"};

    /** Checks the strings of a one-call mint; returns the presence bits. */
    static int presentOf(String[] text, String method) {
        int present = 0;
        for (int i = 0; i < 8; i++) {
            if (text[i] != null) {
                Utf8.check(text[i], PARAMS[i], method);
                present |= 1 << i;
            }
        }
        return present;
    }

    /** The present strings as NUL-terminated UTF-8, in slot order. */
    private static byte[] pack(String[] text, int present) {
        int cap = 0;
        for (int i = 0; i < 8; i++) {
            if ((present & (1 << i)) != 0) {
                cap += Utf8.maxLength(text[i]) + 1;
            }
        }
        byte[] buf = new byte[cap];
        int pos = 0;
        for (int i = 0; i < 8; i++) {
            if ((present & (1 << i)) != 0) {
                pos = Utf8.putZ(text[i], buf, pos);
            }
        }
        return buf;
    }

    /**
     * The one native call behind the builder and the one-call mint: the checked strings of
     * {@code text} (bit i of {@code present}; bits 8-10 the explicit times, bit 11 no_expiry),
     * the times and lifetime (0 = absent), then dst_mint_into.
     */
    static String mintSlots(String[] text, int present, long iat, long nbf, long exp, long lifetime, int nanos,
            long maxLifetime, long skew, long now, SigningKey key, String method) {
        Objects.requireNonNull(key, "key");
        Scratch sc = SCRATCH.get();
        int len = sc.pack(text, present);
        int call = key.enter();
        try {
            return sc.mint(len, present, iat, nbf, exp, lifetime, nanos, maxLifetime, skew, now, key.handle());
        } catch (DstokenException e) {
            throw e.in(method);
        } finally {
            key.exit(call); // close() waits for this, and only then frees the native key
        }
    }

    /** Per-thread buffers for the packed strings and the token (grown when a token needs more). */
    private static final class Scratch {
        byte[] in = new byte[512];
        byte[] out = new byte[1024];

        int pack(String[] text, int present) {
            int cap = 0;
            for (int i = 0; i < 8; i++) {
                if ((present & (1 << i)) != 0) {
                    cap += Utf8.maxLength(text[i]) + 1;
                }
            }
            if (cap > in.length) {
                in = new byte[Math.max(cap, 2 * in.length)];
            }
            int pos = 0;
            for (int i = 0; i < 8; i++) {
                if ((present & (1 << i)) != 0) {
                    pos = Utf8.putZ(text[i], in, pos);
                }
            }
            return pos;
        }

        String mint(int len, int present, long iat, long nbf, long exp, long lifetime, int nanos, long maxLifetime,
                long skew, long now, long k) {
            int n = Native.mintInto(in, len, present, iat, nbf, exp, lifetime, nanos, maxLifetime, skew, now, k, out);
            if (n < 0) { // a long token: grow once and mint again
                out = new byte[-(long) n > Integer.MAX_VALUE ? Integer.MAX_VALUE : -n];
                n = Native.mintInto(in, len, present, iat, nbf, exp, lifetime, nanos, maxLifetime, skew, now, k, out);
                if (n < 0) {
                    throw new DstokenException(DstokenException.INTERNAL, "the token's length changed between calls");
                }
            }
            return new String(out, 0, n, StandardCharsets.ISO_8859_1);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Signs the claims with the key (HS256): one native call however many claims are set.
     *
     * @param claims the claims; {@code td} and {@code rd} are required
     * @param key the team's developer key
     * @return the token
     * @throws DstokenException MISSING_CLAIM without td/rd (the message names the setter);
     *     INVALID_ARGUMENT if exp is before nbf or iat, or not after now (the token would be
     *     expired), or without an expiry unless {@link Claims#noExpiry(boolean) noExpiry(true)}
     *     (and with both)
     * @throws IllegalStateException if either object is closed
     */
    public static String sign(Claims claims, SigningKey key) {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(key, "key");
        return claims.sign(key, "Dstoken.sign");
    }

    /**
     * Verifies at the current time with no leeway; {@code exp} is required.
     *
     * @param token the token
     * @param key the team's developer key
     * @return the token's claims (close them when done)
     * @throws DstokenException as {@link #verify(String, SigningKey, VerifyOptions)}
     */
    public static Claims verify(String token, SigningKey key) {
        return verify(token, key, new VerifyOptions());
    }

    /**
     * Verifies a token at {@code now} with {@code leeway}: the same as
     * {@link #verify(String, SigningKey, VerifyOptions)} with those options.
     *
     * @param token the token
     * @param key the team's developer key
     * @param now the time to check against
     * @param leeway the clock skew tolerated, in whole seconds
     * @return the token's claims (close them when done)
     * @throws DstokenException as {@link #verify(String, SigningKey, VerifyOptions)}
     * @throws IllegalArgumentException if leeway is negative, over 2^32-1 seconds or not whole seconds
     */
    public static Claims verify(String token, SigningKey key, Instant now, Duration leeway) {
        return verify(token, key, new VerifyOptions().now(now).leeway(leeway));
    }

    /**
     * Verifies a token: HS256 only, strict encoding, constant-time signature check, then exp/nbf
     * /iat against the options' time and leeway, the claims they require ({@code exp} unless
     * {@link VerifyOptions#expOptional(boolean)}) and the team id and room they expect.
     *
     * <pre>{@code
     * try (Claims c = Dstoken.verify(token, key, new VerifyOptions().teamId(teamId).room("daily-standup"))) {
     *     ...
     * } catch (TokenExpiredException e) {
     *     log("expired at " + e.getExpiredOn());
     * }
     * }</pre>
     *
     * @param token the token
     * @param key the team's developer key
     * @param options what to check besides the signature
     * @return the token's claims (close them when done)
     * @throws JWTDecodeException a malformed token (a URL instead of a token, bad base64url, ...)
     * @throws AlgorithmMismatchException an {@code alg} other than HS256
     * @throws SignatureVerificationException a signature that does not match the key
     * @throws TokenExpiredException an expired token ({@link TokenExpiredException#getExpiredOn()})
     * @throws InvalidClaimException a token not valid yet
     * @throws MissingClaimException a required claim absent
     * @throws IncorrectClaimException another team id or room than expected
     */
    public static Claims verify(String token, SigningKey key, VerifyOptions options) {
        String method = "Dstoken.verify";
        byte[] t = Utf8.encode(token, "token", method);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        byte[] td = options.teamIdBytes(method), rd = options.roomBytes(method);
        byte[][] required = options.requiredBytes(method);
        long now = options.nowSeconds();
        int leeway = options.leewaySeconds();
        boolean expOptional = options.isExpOptional();
        try {
            return new Claims(key.with(k -> Native.verify(t, k, now, leeway, expOptional, td, rd, required)));
        } catch (DstokenException e) {
            throw e.in(method);
        }
    }

    /**
     * Decodes a token WITHOUT verifying it: its header and claims, whoever made it. This proves
     * nothing (anyone can write any claims into a token); use it to look at a token, for
     * instance to log which team and room it names, never to decide whom to admit: that is
     * {@link #verify(String, SigningKey, VerifyOptions)}.
     *
     * @param token the token
     * @return the header and the claims (close it when done)
     * @throws JWTDecodeException a malformed token
     */
    public static DecodedToken decodeUnverified(String token) {
        String method = "Dstoken.decodeUnverified";
        byte[] t = Utf8.encode(token, "token", method);
        byte[][] header = new byte[1][];
        try {
            long claims = Native.decodeUnverified(t, header);
            return new DecodedToken(Utf8.decode(header[0]), new Claims(claims));
        } catch (DstokenException e) {
            throw e.in(method);
        }
    }

    /**
     * The URL that opens the room: {@code https://<team>.digitalsamba.com/<room>?token=...}
     * (or a custom domain when {@code team} contains a dot).
     *
     * @param team the team's subdomain, or a custom domain
     * @param room the room
     * @param token the token, or null for the public URL
     * @return the URL
     * @throws DstokenException INVALID_ARGUMENT for a bad team or room
     */
    public static String joinUrl(String team, String room, String token) {
        byte[] te = Utf8.encode(team, "team", "Dstoken.joinUrl");
        byte[] r = Utf8.encode(room, "room", "Dstoken.joinUrl");
        byte[] to = token == null ? null : Utf8.encode(token, "token", "Dstoken.joinUrl");
        try {
            return Utf8.decode(Native.joinUrl(te, r, to));
        } catch (DstokenException e) {
            throw e.in("Dstoken.joinUrl");
        }
    }

    /**
     * {@link #joinUrl(String, String, String)} with options: {@link UrlOption#ALLOW_PORT}
     * accepts a custom domain with a port, {@code https://meet.example.com:8443/<room>?token=...}
     * (without it a port is refused; an IP address always is).
     *
     * @param team the team's subdomain, or a custom domain (with a port only given
     *     {@link UrlOption#ALLOW_PORT})
     * @param room the room
     * @param token the token, or null for the public URL
     * @param options {@link UrlOption#ALLOW_PORT}, or none
     * @return the URL
     * @throws DstokenException INVALID_ARGUMENT for a bad team or room
     * @throws NullPointerException if {@code options} or one of them is null
     */
    public static String joinUrl(String team, String room, String token, UrlOption... options) {
        String method = "Dstoken.joinUrl";
        int flags = urlFlags(options);
        byte[] te = Utf8.encode(team, "team", method);
        byte[] r = Utf8.encode(room, "room", method);
        byte[] to = token == null ? null : Utf8.encode(token, "token", method);
        return joinUrl(method, te, r, to, flags);
    }

    private static String joinUrl(String method, byte[] team, byte[] room, byte[] token, int flags) {
        try {
            return Utf8.decode(Native.joinUrlOpts(team, room, token, flags));
        } catch (DstokenException e) {
            throw e.in(method);
        }
    }
}

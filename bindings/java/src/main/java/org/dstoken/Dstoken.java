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
 * lock; a call counts itself in and out of the key on a counter of its own thread's). Errors
 * are {@link DstokenException}s whose message names the method called here and the argument
 * or claim at fault. Every token carries an expiry: the mints take a lifetime (positive;
 * fractions of a second round up), and {@link #sign(Claims, SigningKey)} refuses claims without
 * one unless {@link Claims#noExpiry(boolean) noExpiry(true)}.
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
     * @param lifetime how long the token is valid; fractions of a second round up
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
     * @param lifetime how long the token is valid; fractions of a second round up
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
     * @param lifetime how long the token is valid; fractions of a second round up
     * @return the token
     * @throws DstokenException MISSING_CLAIM without teamId/room, INVALID_ARGUMENT for an empty one
     *     or a non-positive lifetime
     * @throws IllegalStateException if the key is closed
     */
    public static String mint(SigningKey key, String teamId, String room, String userName, String userId,
            String role, Duration lifetime) {
        long seconds = Claims.ceilSeconds(lifetime, "Dstoken.mint", "lifetime", false);
        String[] text = {teamId, room, userName, userId, null, role, null, null};
        return mintRelative(text, presentOf(text, "Dstoken.mint"), seconds, Claims.nowSeconds(), key, "Dstoken.mint");
    }

    /**
     * The one-call mint's path: {@code iat} = now, {@code exp} = now + seconds, signed in one
     * native call through the thread's claim set (the same token as dst_mint's relative mode,
     * which MintTest checks).
     */
    static String mintRelative(String[] text, int present, long seconds, long now, SigningKey key, String method) {
        Objects.requireNonNull(key, "key");
        checkRequired(text, present, method);
        Claims.checkTime(now, method, "now");
        long exp = Claims.expiry(now, seconds, method);
        return signCached(text, present | Claims.IAT | Claims.EXP, now, 0, exp, key, method);
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
     * @param lifetime how long the token is valid; fractions of a second round up
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
     * @param lifetime how long the token is valid; fractions of a second round up
     * @return the join URL
     * @throws DstokenException as {@link #mint(SigningKey, String, String, String, String, String, Duration)},
     *     and INVALID_ARGUMENT for a bad team
     * @throws IllegalStateException if the key is closed
     */
    public static String mintUrl(SigningKey key, String team, String teamId, String room, String userName,
            String userId, String role, Duration lifetime) {
        String method = "Dstoken.mintUrl";
        long seconds = Claims.ceilSeconds(lifetime, method, "lifetime", false);
        byte[] t = Utf8.encode(team, "team", method);
        Objects.requireNonNull(key, "key");
        String[] text = {teamId, room, userName, userId, null, role, null, null};
        int present = presentOf(text, method);
        checkRequired(text, present, method);
        long now = Claims.nowSeconds();
        Claims.expiry(now, seconds, method); // refuses an exp past 9999, naming the lifetime
        byte[] buf = pack(text, present);
        try {
            return Utf8.decode(key.with(k -> Native.mintUrl(buf, present, 0, 0, 0, seconds, 0, now, k, t)));
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
     * @param lifetime how long the token is valid; fractions of a second round up
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
        long seconds = Claims.ceilSeconds(lifetime, method, "lifetime", false);
        byte[] t = Utf8.encode(team, "team", method);
        String[] text = {teamId, room, userName, userId, null, role, null, null};
        String token = mintRelative(text, presentOf(text, method), seconds, Claims.nowSeconds(), key, method);
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
     * {@code text} (bit i of {@code present}), the times (0 = absent), then dst_mint.
     */
    static String mintSlots(String[] text, int present, long iat, long nbf, long exp, long lifetime, long skew,
            long now, SigningKey key, String method) {
        Objects.requireNonNull(key, "key");
        checkRequired(text, present, method);
        Scratch sc = SCRATCH.get();
        int len = sc.pack(text, present);
        int call = key.enter();
        try {
            return sc.mint(len, present, iat, nbf, exp, lifetime, skew, now, key.handle());
        } catch (DstokenException e) {
            throw e.in(method);
        } finally {
            key.exit(call); // close() waits for this, and only then frees the native key
        }
    }

    /** td and rd present and non-empty, with messages naming the setter or parameter. */
    private static void checkRequired(String[] text, int present, String method) {
        boolean builder = method.equals("Dstoken.sign");
        for (int i = 0; i < 2; i++) {
            if ((present & (1 << i)) == 0) {
                throw new DstokenException(DstokenException.MISSING_CLAIM, method + ": claim \""
                        + Claims.SLOT_NAMES[i] + "\" (" + (i == 0 ? "team id" : "room")
                        + ") is required to sign a token: "
                        + (builder ? "set it with " + Claims.SLOT_SETTERS[i] + "()" : "pass " + PARAMS[i]));
            }
            if (text[i].isEmpty()) {
                throw new DstokenException(DstokenException.INVALID_ARGUMENT, method + ": claim \""
                        + Claims.SLOT_NAMES[i] + "\" must not be empty"
                        + (builder ? " (set by " + Claims.SLOT_SETTERS[i] + "())" : " (" + PARAMS[i] + ")"));
            }
        }
    }

    /**
     * The builder's one native call: brings this thread's cached native claim set up to date
     * (only the values that differ from the previous token of this thread cross to C) and signs
     * it with dst_sign_into. Same token as dst_mint for the same claims (the vectors test both).
     */
    static String signBuilder(String[] text, int present, long iat, long nbf, long exp, boolean noExpiry,
            long signNow, SigningKey key, String method) {
        Objects.requireNonNull(key, "key");
        checkRequired(text, present, method);
        Claims.checkExpiry((present & Claims.EXP) != 0, noExpiry, method);
        String token = signCached(text, present, iat, nbf, exp, key, method);
        if ((present & Claims.EXP) != 0) { // after the library's own checks (exp before iat/nbf)
            Claims.checkNotExpired(exp, signNow, method);
        }
        return token;
    }

    private static String signCached(String[] text, int present, long iat, long nbf, long exp, SigningKey key,
            String method) {
        Scratch sc = SCRATCH.get();
        int call = key.enter();
        try {
            return sc.updateAndSign(text, present, iat, nbf, exp, key.handle());
        } catch (DstokenException e) {
            throw e.in(method);
        } finally {
            key.exit(call); // close() waits for this, and only then frees the native key
        }
    }

    /** The native claim set a thread's builder tokens are signed from; freed by the Cleaner. */
    private static final class CachedClaims implements Runnable {
        long handle;

        @Override
        public void run() {
            long h = handle;
            handle = 0;
            if (h != 0) {
                Native.claimsFree(h);
            }
        }
    }

    /**
     * Per-thread state: buffers for the packed strings and the token, and the builder's cached
     * claim set with the values it holds (compared by equals: unchanged values are not sent).
     * The builder path hands C two direct buffers of this thread (their addresses asked once),
     * so its native call makes no JNI callback: no array length, no copy in, no pinning. The
     * ThreadLocal keeps the Scratch, and so the buffers, reachable for the thread's life.
     */
    private static final class Scratch {
        byte[] in = new byte[512];
        byte[] out = new byte[1024];
        java.nio.ByteBuffer inDirect, outDirect;
        long inAddr, outAddr;

        /** Direct buffers of at least {@code inCap} and {@code outCap} bytes. */
        void direct(int inCap, int outCap) {
            if (inDirect == null || inDirect.capacity() < inCap) {
                inDirect = java.nio.ByteBuffer.allocateDirect(Math.max(inCap, 512));
                inAddr = Native.bufferAddress(inDirect);
            }
            if (outDirect == null || outDirect.capacity() < outCap) {
                outDirect = java.nio.ByteBuffer.allocateDirect(Math.max(outCap, 1024));
                outAddr = Native.bufferAddress(outDirect);
            }
        }
        final CachedClaims cached = new CachedClaims();
        final String[] lastText = new String[8];
        int lastPresent;
        long lastIat, lastNbf, lastExp;

        Scratch() {
            NativeResource.CLEANER.register(this, cached);
        }

        String updateAndSign(String[] text, int present, long iat, long nbf, long exp, long k) {
            if (cached.handle == 0) {
                cached.handle = Native.claimsNew();
                lastPresent = 0;
            }
            int set = 0, cap = 0;
            for (int i = 0; i < 8; i++) {
                int bit = 1 << i;
                if ((present & bit) != 0 && ((lastPresent & bit) == 0 || !text[i].equals(lastText[i]))) {
                    set |= bit;
                    cap += Utf8.maxLength(text[i]) + 1;
                }
            }
            long[] now = {iat, nbf, exp};
            long[] last = {lastIat, lastNbf, lastExp};
            for (int i = 0; i < 3; i++) {
                int bit = Claims.IAT << i;
                if ((present & bit) != 0 && ((lastPresent & bit) == 0 || now[i] != last[i])) {
                    set |= bit;
                }
            }
            int remove = lastPresent & ~present;
            if (cap > in.length) {
                in = new byte[Math.max(cap, 2 * in.length)];
            }
            int len = 0;
            for (int i = 0; i < 8; i++) {
                if ((set & (1 << i)) != 0) {
                    len = Utf8.putZ(text[i], in, len);
                }
            }
            direct(len, 0);
            inDirect.put(0, in, 0, len);
            int n;
            try {
                n = Native.updateAndSign(cached.handle, inAddr, len, set, remove, iat, nbf, exp, k, outAddr,
                        outDirect.capacity());
                if (n < 0) { // a long token: grow once and sign again (the claims are already set)
                    direct(0, -n);
                    n = Native.updateAndSign(cached.handle, inAddr, 0, 0, 0, iat, nbf, exp, k, outAddr,
                            outDirect.capacity());
                }
            } catch (RuntimeException e) {
                cached.run(); // unknown state: start from an empty claim set next time
                lastPresent = 0;
                throw e;
            }
            for (int i = 0; i < 8; i++) {
                lastText[i] = (present & (1 << i)) != 0 ? text[i] : null;
            }
            lastPresent = present;
            lastIat = iat;
            lastNbf = nbf;
            lastExp = exp;
            if (n < 0) {
                throw new DstokenException(DstokenException.INTERNAL, "the token's length changed between calls");
            }
            if (n > out.length) {
                out = new byte[n];
            }
            outDirect.get(0, out, 0, n);
            return new String(out, 0, n, StandardCharsets.ISO_8859_1);
        }

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

        String mint(int len, int present, long iat, long nbf, long exp, long lifetime, long skew, long now, long k) {
            int n = Native.mintInto(in, len, present, iat, nbf, exp, lifetime, skew, now, k, out);
            if (n < 0) { // a long token: grow once and mint again
                out = new byte[-(long) n > Integer.MAX_VALUE ? Integer.MAX_VALUE : -n];
                n = Native.mintInto(in, len, present, iat, nbf, exp, lifetime, skew, now, k, out);
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
     * Verifies at the current time with no leeway.
     *
     * @param token the token
     * @param key the team's developer key
     * @return the token's claims (close them when done)
     * @throws DstokenException as {@link #verify(String, SigningKey, Instant, Duration)}
     */
    public static Claims verify(String token, SigningKey key) {
        return verify(token, key, Instant.now(), Duration.ZERO);
    }

    /**
     * Verifies a token: HS256 only, strict encoding, constant-time signature check, then exp/nbf
     * /iat against {@code now} with {@code leeway}.
     *
     * @param token the token
     * @param key the team's developer key
     * @param now the time to check against
     * @param leeway the clock skew tolerated, in whole seconds (a fraction of a second is refused,
     *     as a fractional leeway is in every binding)
     * @return the token's claims (close them when done)
     * @throws DstokenException MALFORMED_TOKEN, UNSUPPORTED_ALGORITHM, BAD_SIGNATURE, EXPIRED,
     *     NOT_YET_VALID
     * @throws IllegalArgumentException if leeway is negative, over 2^32-1 seconds or not whole seconds
     */
    public static Claims verify(String token, SigningKey key, Instant now, Duration leeway) {
        byte[] t = Utf8.encode(token, "token", "Dstoken.verify");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leeway, "leeway");
        long seconds = leeway.getSeconds();
        if (leeway.isNegative() || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "Dstoken.verify: leeway must be between 0 and 2^32-1 seconds, got " + leeway);
        }
        if (leeway.getNano() != 0) {
            throw new IllegalArgumentException("Dstoken.verify: leeway must be whole seconds, got " + leeway
                    + "; pass Duration.ofSeconds(" + seconds + ") or Duration.ofSeconds(" + (seconds + 1) + ")");
        }
        try {
            long handle = key.with(k -> Native.verify(t, k, now.getEpochSecond(), (int) seconds));
            return new Claims(handle);
        } catch (DstokenException e) {
            throw e.in("Dstoken.verify");
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

package org.dstoken;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The claims of a Digital Samba room token, built fluently:
 *
 * <pre>{@code
 * try (Claims c = new Claims().teamId(teamId).room("daily-standup")
 *         .userName("John Smith").role("moderator").expiresIn(Duration.ofHours(1))) {
 *     String token = Dstoken.sign(c, key);
 * }
 * }</pre>
 *
 * The payload order is fixed ({@code td, rd, u, ud, initials, role, breakoutId, avatar, iat,
 * nbf, exp}, then custom claims in the order first set); setting a claim again replaces it.
 *
 * <p>An expiry is required: {@link Dstoken#sign} refuses claims without {@code exp}
 * ({@link #expiresIn}, {@link #validity} or {@link #expiresAt}) unless {@link #noExpiry(boolean)
 * noExpiry(true)} says that a token valid forever is meant. Times must lie between 1970-01-01
 * and 9999-12-31T23:59:59Z (0 to 253402300799 seconds since the epoch); a value in milliseconds
 * is refused, with a message saying so.
 *
 * <p>Custom claims ({@link #set(String, String)} and its overloads, {@link #setJson}) cannot
 * carry a registered name ({@code td rd u ud initials role breakoutId avatar iat nbf exp}): that
 * is refused with INVALID_ARGUMENT naming the typed setter to use, so data passed through as
 * custom claims can never replace the room, the role or the times.
 *
 * <p>Cost: the registered claims are kept on the Java side and the token is signed in one
 * native call, which updates a per-thread native claim set where the values differ from the
 * thread's previous token and signs it ({@code dst_sign_into}). The first custom claim,
 * {@link #setJson}, {@link #toJson} or {@link #getJson} moves the claims into a native claim
 * set; from then on each call is one native call, and signing is still one.
 *
 * <p>Thread safety: a Claims is a one-thread object, like {@link StringBuilder}: build it and
 * sign it on one thread (or hand it to another with the usual happens-before, e.g. through a
 * queue). Its setters take no lock. Misuse from several threads at once gives wrong claims or
 * an exception, never a crash: the native claim set, once there is one, is still guarded.
 * Ownership: close it to free any native memory at once (a Cleaner does it otherwise); use
 * after {@link #close()} throws {@link IllegalStateException}.
 */
public final class Claims implements AutoCloseable {
    /** The registered string claims, in payload order (slots 0-7). */
    static final String[] SLOT_NAMES = {"td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar"};
    /** The Java setter of each slot, for error messages. */
    static final String[] SLOT_SETTERS = {"teamId", "room", "userName", "userId", "initials", "role",
        "breakoutId", "avatar"};
    /** Bits of {@link #present} for the time claims. */
    static final int IAT = 1 << 8, NBF = 1 << 9, EXP = 1 << 10;
    /** The one-call mint's flag for dst_room_token.no_expiry (beside the slot bits). */
    static final int NO_EXPIRY = 1 << 11;
    private static final String[] TIME_NAMES = {"iat", "nbf", "exp"};
    /** The Java setter of each time claim, for error messages. */
    private static final String[] TIME_SETTERS = {"issuedAt", "notBefore", "expiresAt"};
    /** The latest time a token may carry: 9999-12-31T23:59:59Z (RFC 3339's range). */
    static final long MAX_TIME = 253402300799L;

    /** The native claim set, once materialised; owns the handle. */
    private static final class Handle extends NativeResource {
        Handle(long handle) {
            super(handle, Handle::free, "Claims");
        }

        private static void free(long handle) {
            Native.claimsFree(handle);
            FREED.incrementAndGet(); // once per claim set (the tests watch it)
        }
    }

    /** How many native claim sets have been freed, by close() or the Cleaner (for the tests). */
    static final AtomicLong FREED = new AtomicLong();

    // Java-side state, used while handle == null.
    private final String[] text = new String[8];
    private int present;
    private long iat, nbf, exp;
    private boolean noExpiry;
    /** The time an expired token is judged against at signing; MIN_VALUE: the clock (tests set it). */
    private long signNow = Long.MIN_VALUE;
    private boolean closed;
    // Native state, once materialised.
    private Handle handle;

    /** An empty claim set. */
    public Claims() {}

    /** Claims over a native handle (from verify or copy); takes ownership. */
    Claims(long handle) {
        this.handle = new Handle(handle);
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private void open() {
        if (closed) {
            throw new IllegalStateException("Claims is closed");
        }
    }

    private static int slot(String name) {
        switch (name) {
            case "td": return 0;
            case "rd": return 1;
            case "u": return 2;
            case "ud": return 3;
            case "initials": return 4;
            case "role": return 5;
            case "breakoutId": return 6;
            case "avatar": return 7;
            default: return -1;
        }
    }

    private static int timeBit(String name) {
        switch (name) {
            case "iat": return IAT;
            case "nbf": return NBF;
            case "exp": return EXP;
            default: return 0;
        }
    }

    /** Runs a native operation on the materialised handle, naming {@code method} in errors. */
    private <T> T nat(String method, NativeResource.HandleFunction<T> op) {
        open();
        materialise();
        try {
            return handle.write(op);
        } catch (DstokenException e) {
            throw e.in(method);
        }
    }

    /** Moves the Java-side values into a native claim set (once). */
    private void materialise() {
        if (handle != null) {
            return;
        }
        Handle h = new Handle(Native.claimsNew());
        try {
            h.write(c -> {
                for (int i = 0; i < 8; i++) {
                    if ((present & (1 << i)) != 0) {
                        Native.claimsSetString(c, Utf8.encode(SLOT_NAMES[i], "name"), Utf8.encode(text[i], "value"));
                    }
                }
                long[] times = {iat, nbf, exp};
                for (int i = 0; i < 3; i++) {
                    if ((present & (IAT << i)) != 0) {
                        Native.claimsSetInt(c, Utf8.encode(TIME_NAMES[i], "name"), times[i]);
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
        handle = h;
        present = 0;
        java.util.Arrays.fill(text, null);
    }

    /**
     * Refuses a registered claim name in a custom-claim setter, naming the typed setter: a
     * custom value must never replace the room, the role or a time.
     */
    private static void custom(String name, String method) {
        Objects.requireNonNull(name, "name");
        int i = slot(name);
        int bit = timeBit(name);
        if (i < 0 && bit == 0) {
            return;
        }
        String setter = i >= 0 ? SLOT_SETTERS[i] + "()"
                : bit == EXP ? "expiresIn() or expiresAt()"
                : TIME_SETTERS[Integer.numberOfTrailingZeros(bit) - 8] + "()";
        throw new DstokenException(DstokenException.INVALID_ARGUMENT, method + ": claim \"" + name
                + "\" is a registered claim, not a custom one: set it with " + setter);
    }

    /**
     * Refuses a time outside [0, 253402300799] (1970-01-01 .. 9999-12-31T23:59:59Z), saying when
     * the value looks like milliseconds.
     */
    static void checkTime(long t, String method, String what) {
        if (t >= 0 && t <= MAX_TIME) {
            return;
        }
        String hint = t > MAX_TIME && t / 1000 <= MAX_TIME
                ? "; it looks like milliseconds (such as System.currentTimeMillis()): pass seconds, e.g."
                        + " Instant.ofEpochMilli(" + t + ")"
                : "";
        throw new DstokenException(DstokenException.INVALID_ARGUMENT, method + ": " + what
                + " must be between 0 (1970-01-01T00:00:00Z) and " + MAX_TIME
                + " (9999-12-31T23:59:59Z) seconds since the epoch, got " + t + hint);
    }

    /** now + lifetime, refused past 9999-12-31T23:59:59Z. */
    static long expiry(long now, long lifetime, String method) {
        if (lifetime > MAX_TIME - now) {
            throw new DstokenException(DstokenException.INVALID_ARGUMENT, method + ": lifetime of " + lifetime
                    + " seconds is too long: the token would expire after 9999-12-31T23:59:59Z");
        }
        return now + lifetime;
    }

    private static DstokenException notFound(String method, String name) {
        return new DstokenException(DstokenException.NOT_FOUND, method + ": claim \"" + name + "\" is not present");
    }

    private static DstokenException wrongType(String method, String name, String is, String wanted) {
        return new DstokenException(DstokenException.WRONG_TYPE,
                method + ": claim \"" + name + "\" is " + is + ", not " + wanted);
    }

    private Claims setSlot(int i, String value, String method, String what) {
        Utf8.check(value, what, method);
        open();
        if (i <= 1 && value.isEmpty()) {
            throw new DstokenException(DstokenException.INVALID_ARGUMENT,
                    method + ": claim \"" + SLOT_NAMES[i] + "\" must not be empty");
        }
        if (handle != null) {
            byte[] n = Utf8.encode(SLOT_NAMES[i], "name");
            byte[] v = Utf8.encode(value, what);
            nat(method, h -> {
                Native.claimsSetString(h, n, v);
                return null;
            });
        } else {
            text[i] = value;
            present |= 1 << i;
        }
        return this;
    }

    private Claims setTime(int bit, long t, String method) {
        int k = Integer.numberOfTrailingZeros(bit) - 8;
        if (t < 0 || t > MAX_TIME) { // the message is built only for a refusal (hot path)
            checkTime(t, method, TIME_NAMES[k] + " (" + TIME_SETTERS[k] + ")");
        }
        open();
        if (handle != null) {
            byte[] n = Utf8.encode(TIME_NAMES[k], "name");
            nat(method, h -> {
                Native.claimsSetInt(h, n, t);
                return null;
            });
            return this;
        }
        if (bit == IAT) {
            iat = t;
        } else if (bit == NBF) {
            nbf = t;
        } else {
            exp = t;
        }
        present |= bit;
        return this;
    }

    private Claims time(int bit, Instant t, String what) {
        Objects.requireNonNull(t, what);
        return setTime(bit, t.getEpochSecond(), "Claims." + what);
    }

    /**
     * Whole seconds of a duration, rounded up (so 500 ms is 1 s and a token lives at least as
     * long as asked); refuses negative durations, and zero unless {@code zeroOk}.
     */
    static long ceilSeconds(Duration d, String method, String what, boolean zeroOk) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || (!zeroOk && d.isZero())) {
            throw new DstokenException(DstokenException.INVALID_ARGUMENT, method + ": " + what + " must be "
                    + (zeroOk ? "zero or positive" : "positive") + ", got " + d);
        }
        long s = d.getSeconds();
        if (d.getNano() > 0) {
            if (s == Long.MAX_VALUE) {
                throw new DstokenException(DstokenException.INVALID_ARGUMENT, method + ": " + what + " is too long");
            }
            s++; // sub-second parts round up to the next whole second
        }
        return s;
    }

    /** Seconds since the epoch now (the library's clock reads the same system time). */
    static long nowSeconds() {
        return Math.floorDiv(System.currentTimeMillis(), 1000L);
    }

    Claims expiresIn(Duration lifetime, long now, String method) {
        long s = ceilSeconds(lifetime, method, "lifetime", false);
        open();
        checkTime(now, method, "now");
        long e = expiry(now, s, method);
        setTime(IAT, now, method);
        return setTime(EXP, e, method);
    }

    Claims validity(Duration skew, Duration lifetime, long now, String method) {
        long k = ceilSeconds(skew, method, "skew", true);
        long s = ceilSeconds(lifetime, method, "lifetime", false);
        open();
        checkTime(now, method, "now");
        if (k > now) {
            throw new DstokenException(DstokenException.INVALID_ARGUMENT, method + ": skew of " + k
                    + " seconds puts nbf before 1970-01-01T00:00:00Z");
        }
        long n = now - k;
        long e = expiry(now, s, method);
        setTime(IAT, now, method);
        setTime(NBF, n, method);
        return setTime(EXP, e, method);
    }

    /**
     * Signs with {@code key}: one native call, the Java-side values through the thread's cached
     * claim set (or {@code dst_sign_into} once materialised). Errors name {@code method}.
     */
    String sign(SigningKey key, String method) {
        open();
        key.checkOpen(); // a closed key is reported first
        if (handle == null) {
            return Dstoken.signBuilder(text, present, iat, nbf, exp, noExpiry, signNow, key, method);
        }
        // The missing td/rd error (from the library, naming the setter) comes first.
        byte[] td = {'t', 'd'}, rd = {'r', 'd'}, expName = {'e', 'x', 'p'};
        if (nat(method, h -> Native.claimsHas(h, td) && Native.claimsHas(h, rd))) {
            checkExpiry(nat(method, h -> Native.claimsHas(h, expName)), noExpiry, method);
        }
        String token;
        try {
            token = key.with(k -> handle.read(c -> Utf8.decode(Native.sign(c, k))));
        } catch (DstokenException e) {
            throw e.in(method);
        }
        if (!noExpiry) { // after the library's own checks (exp before iat/nbf)
            checkNotExpired(nat(method, h -> Native.claimsGetInt(h, expName)), signNow, method);
        }
        return token;
    }

    /** An expiry is required unless noExpiry(true) asked for a token without one (not both). */
    /**
     * Refuses an {@code exp} that is not after now (the clock, or {@code signNow} when a test
     * set it): such a token is expired before anyone can use it. Names the time it expired.
     */
    static void checkNotExpired(long exp, long signNow, String method) {
        long now = signNow != Long.MIN_VALUE && signNow != 0 ? signNow : nowSeconds(); // a now of 0 is the clock, as everywhere
        if (exp > now) {
            return;
        }
        throw new DstokenException(DstokenException.INVALID_ARGUMENT, method + ": the token would be expired when"
                + " signed: exp (" + exp + ", " + Instant.ofEpochSecond(exp) + ") is not after now (" + now + ", "
                + Instant.ofEpochSecond(now) + "), it expired " + span(now - exp) + " ago; set a later expiry with"
                + " expiresIn(), validity() or expiresAt()");
    }

    /**
     * Seconds as the library words a span in its expiry messages ("1 h 5 min 3 s", "42 s"), so
     * the message of a signing refusal reads like the library's mint and verify messages.
     */
    static String span(long seconds) {
        long[] parts = {seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60};
        String[] units = {"d", "h", "min", "s"};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] > 0 || out.length() > 0 || i == parts.length - 1) {
                out.append(out.length() > 0 ? " " : "").append(parts[i]).append(' ').append(units[i]);
            }
        }
        return out.toString();
    }

    /** For the tests: judge expiry at {@code now} instead of the clock when signing. */
    Claims signingNow(long now) {
        signNow = now;
        return this;
    }

    static void checkExpiry(boolean hasExp, boolean noExpiry, String method) {
        if (hasExp == noExpiry) {
            throw new DstokenException(DstokenException.INVALID_ARGUMENT, hasExp
                    ? method + ": noExpiry(true) was called but an expiry (exp) is set too: drop one of them"
                    : method + ": the token has no expiry (exp): set one with expiresIn(), validity() or expiresAt(),"
                            + " or call noExpiry(true) to sign a token that is valid forever");
        }
    }

    // ---- setters -----------------------------------------------------------------------------

    /**
     * Sets {@code td}, the team id (required to sign).
     *
     * @param teamId the team's id from the dashboard, non-empty
     * @return this
     */
    public Claims teamId(String teamId) {
        return setSlot(0, teamId, "Claims.teamId", "teamId");
    }

    /**
     * Sets {@code rd}, the room name or UUID (required to sign).
     *
     * @param room the room, non-empty
     * @return this
     */
    public Claims room(String room) {
        return setSlot(1, room, "Claims.room", "room");
    }

    /**
     * Sets {@code u}, the user's display name.
     *
     * @param userName the name shown in the room
     * @return this
     */
    public Claims userName(String userName) {
        return setSlot(2, userName, "Claims.userName", "userName");
    }

    /**
     * Sets {@code ud}, the external user id.
     *
     * @param userId your application's id for the user
     * @return this
     */
    public Claims userId(String userId) {
        return setSlot(3, userId, "Claims.userId", "userId");
    }

    /**
     * Sets {@code initials}.
     *
     * @param initials the initials shown when there is no avatar
     * @return this
     */
    public Claims initials(String initials) {
        return setSlot(4, initials, "Claims.initials", "initials");
    }

    /**
     * Sets {@code role}, e.g. "moderator".
     *
     * @param role a role defined for the team
     * @return this
     */
    public Claims role(String role) {
        return setSlot(5, role, "Claims.role", "role");
    }

    /**
     * Sets {@code breakoutId}.
     *
     * @param breakoutId the breakout room to join
     * @return this
     */
    public Claims breakoutId(String breakoutId) {
        return setSlot(6, breakoutId, "Claims.breakoutId", "breakoutId");
    }

    /**
     * Sets {@code avatar}, the picture URL.
     *
     * @param avatar an image URL
     * @return this
     */
    public Claims avatar(String avatar) {
        return setSlot(7, avatar, "Claims.avatar", "avatar");
    }

    /**
     * Sets {@code iat} (whole seconds; the fraction is dropped).
     *
     * @param t the issue time
     * @return this
     */
    public Claims issuedAt(Instant t) {
        return time(IAT, t, "issuedAt");
    }

    /**
     * Sets {@code nbf} (whole seconds; the fraction is dropped).
     *
     * @param t the time before which the token is not valid
     * @return this
     */
    public Claims notBefore(Instant t) {
        return time(NBF, t, "notBefore");
    }

    /**
     * Sets {@code exp} (whole seconds; the fraction is dropped).
     *
     * @param t the expiry time
     * @return this
     */
    public Claims expiresAt(Instant t) {
        return time(EXP, t, "expiresAt");
    }

    /**
     * Says whether a token without an expiry is meant. By default ({@code false}) signing
     * claims without {@code exp} is refused, since such a token, once leaked, admits its holder
     * forever; {@code noExpiry(true)} allows it explicitly (like the CLI's {@code --no-expiry}),
     * and then setting an expiry too is refused at signing.
     *
     * @param noExpiry true to sign without {@code exp}
     * @return this
     */
    public Claims noExpiry(boolean noExpiry) {
        open();
        this.noExpiry = noExpiry;
        return this;
    }

    /**
     * Sets {@code iat} = now and {@code exp} = now + lifetime. A lifetime with a fraction of a
     * second is rounded up to the next whole second (500 ms gives 1 s).
     *
     * @param lifetime how long the token is valid, positive
     * @return this
     * @throws DstokenException INVALID_ARGUMENT for a zero or negative lifetime
     */
    public Claims expiresIn(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        return expiresIn(lifetime, nowSeconds(), "Claims.expiresIn");
    }

    /**
     * Sets {@code iat} = now, {@code nbf} = now - skew, {@code exp} = now + lifetime. Fractions
     * of a second are rounded up.
     *
     * @param skew how long before now the token is already valid (zero or positive)
     * @param lifetime how long the token is valid, positive
     * @return this
     * @throws DstokenException INVALID_ARGUMENT for a negative skew or a non-positive lifetime
     */
    public Claims validity(Duration skew, Duration lifetime) {
        Objects.requireNonNull(skew, "skew");
        Objects.requireNonNull(lifetime, "lifetime");
        return validity(skew, lifetime, nowSeconds(), "Claims.validity");
    }

    /**
     * Sets a custom claim to a string. Registered claims have typed setters and are refused
     * here ({@code set("role", ...)} says to use {@link #role(String)}), so a value passed
     * through as a custom claim can never replace the room, the role or a time.
     *
     * @param name the claim's name, not a registered one
     * @param value its value
     * @return this
     * @throws DstokenException INVALID_ARGUMENT for a registered claim or an empty name
     */
    public Claims set(String name, String value) {
        custom(name, "Claims.set");
        byte[] n = Utf8.encode(name, "name", "Claims.set");
        byte[] v = Utf8.encode(value, "value", "Claims.set");
        nat("Claims.set", h -> {
            Native.claimsSetString(h, n, v);
            return null;
        });
        return this;
    }

    /**
     * Sets a custom claim to an integer (registered claims are refused: use their typed
     * setters, e.g. {@link #expiresAt(Instant)} for {@code exp}).
     *
     * @param name the claim's name, not a registered one
     * @param value its value
     * @return this
     * @throws DstokenException INVALID_ARGUMENT for a registered claim or an empty name
     */
    public Claims set(String name, long value) {
        custom(name, "Claims.set");
        byte[] n = Utf8.encode(name, "name", "Claims.set");
        nat("Claims.set", h -> {
            Native.claimsSetInt(h, n, value);
            return null;
        });
        return this;
    }

    /**
     * Sets a custom claim to a number (the shortest decimal that reads back as the same
     * {@code double}). NaN and the infinities have no JSON form and are refused.
     *
     * @param name the claim's name, not a registered one
     * @param value its value, finite
     * @return this
     * @throws DstokenException INVALID_ARGUMENT for NaN, an infinity, a registered claim or an
     *     empty name
     */
    public Claims set(String name, double value) {
        custom(name, "Claims.set");
        if (!Double.isFinite(value)) {
            throw new DstokenException(DstokenException.INVALID_ARGUMENT, "Claims.set: claim \"" + name
                    + "\" must be a finite number, got " + value + " (JSON has no NaN or Infinity)");
        }
        byte[] n = Utf8.encode(name, "name", "Claims.set");
        byte[] v = Utf8.encode(Double.toString(value), "value", "Claims.set");
        nat("Claims.set", h -> {
            Native.claimsSetJson(h, n, v);
            return null;
        });
        return this;
    }

    /**
     * Sets a custom claim to a boolean.
     *
     * @param name the claim's name (not a registered claim)
     * @param value its value
     * @return this
     * @throws DstokenException INVALID_ARGUMENT for a registered claim or an empty name
     */
    public Claims set(String name, boolean value) {
        custom(name, "Claims.set");
        byte[] n = Utf8.encode(name, "name", "Claims.set");
        nat("Claims.set", h -> {
            Native.claimsSetBool(h, n, value);
            return null;
        });
        return this;
    }

    /**
     * Sets a custom claim to a JSON value given as text (validated; {@code NaN} and
     * {@code Infinity} are not JSON and are refused).
     *
     * @param name the claim's name (not a registered claim: those have typed setters)
     * @param json the value as JSON text, e.g. {@code {"a":[1,2]}}
     * @return this
     * @throws DstokenException INVALID_ARGUMENT for invalid JSON, a registered claim or an empty name
     */
    public Claims setJson(String name, String json) {
        custom(name, "Claims.setJson");
        byte[] n = Utf8.encode(name, "name", "Claims.setJson");
        byte[] v = Utf8.encode(json, "json", "Claims.setJson");
        nat("Claims.setJson", h -> {
            Native.claimsSetJson(h, n, v);
            return null;
        });
        return this;
    }

    /**
     * Removes a claim.
     *
     * @param name the claim's name
     * @return this
     * @throws DstokenException NOT_FOUND if absent
     */
    public Claims remove(String name) {
        Objects.requireNonNull(name, "name");
        open();
        if (handle == null) {
            int i = slot(name);
            int bit = i >= 0 ? 1 << i : timeBit(name);
            if (bit == 0 || (present & bit) == 0) {
                throw notFound("Claims.remove", name);
            }
            present &= ~bit;
            if (i >= 0) {
                text[i] = null;
            }
            return this;
        }
        byte[] n = Utf8.encode(name, "name", "Claims.remove");
        nat("Claims.remove", h -> {
            Native.claimsRemove(h, n);
            return null;
        });
        return this;
    }

    // ---- getters -----------------------------------------------------------------------------

    /**
     * True if the claim is present.
     *
     * @param name the claim's name
     * @return whether it is set
     */
    public boolean has(String name) {
        Objects.requireNonNull(name, "name");
        open();
        if (handle == null) {
            int i = slot(name);
            int bit = i >= 0 ? 1 << i : timeBit(name);
            return bit != 0 && (present & bit) != 0;
        }
        byte[] n = Utf8.encode(name, "name", "Claims.has");
        return nat("Claims.has", h -> Native.claimsHas(h, n));
    }

    /**
     * A string claim.
     *
     * @param name the claim's name
     * @return its value
     * @throws DstokenException NOT_FOUND or WRONG_TYPE otherwise
     */
    public String getString(String name) {
        Objects.requireNonNull(name, "name");
        open();
        if (handle == null) {
            int i = slot(name);
            if (i >= 0 && (present & (1 << i)) != 0) {
                return text[i];
            }
            int bit = timeBit(name);
            if (bit != 0 && (present & bit) != 0) {
                throw wrongType("Claims.getString", name, "an integer", "a string");
            }
            throw notFound("Claims.getString", name);
        }
        byte[] n = Utf8.encode(name, "name", "Claims.getString");
        return Utf8.decode(nat("Claims.getString", h -> Native.claimsGetString(h, n)));
    }

    /**
     * An integer claim.
     *
     * @param name the claim's name
     * @return its value
     * @throws DstokenException NOT_FOUND or WRONG_TYPE otherwise
     */
    public long getLong(String name) {
        Objects.requireNonNull(name, "name");
        open();
        if (handle == null) {
            int bit = timeBit(name);
            if (bit != 0 && (present & bit) != 0) {
                return bit == IAT ? iat : bit == NBF ? nbf : exp;
            }
            int i = slot(name);
            if (i >= 0 && (present & (1 << i)) != 0) {
                throw wrongType("Claims.getLong", name, "a string", "an integer");
            }
            throw notFound("Claims.getLong", name);
        }
        byte[] n = Utf8.encode(name, "name", "Claims.getLong");
        return nat("Claims.getLong", h -> Native.claimsGetInt(h, n));
    }

    /**
     * A boolean claim.
     *
     * @param name the claim's name
     * @return its value
     * @throws DstokenException NOT_FOUND or WRONG_TYPE otherwise
     */
    public boolean getBoolean(String name) {
        Objects.requireNonNull(name, "name");
        open();
        if (handle == null) {
            if (has(name)) {
                throw wrongType("Claims.getBoolean", name, timeBit(name) != 0 ? "an integer" : "a string",
                        "a boolean");
            }
            throw notFound("Claims.getBoolean", name);
        }
        byte[] n = Utf8.encode(name, "name", "Claims.getBoolean");
        return nat("Claims.getBoolean", h -> Native.claimsGetBool(h, n));
    }

    /**
     * A time claim ({@code iat}, {@code nbf}, {@code exp} or custom) as an Instant.
     *
     * @param name the claim's name
     * @return its value as seconds since the epoch
     * @throws DstokenException NOT_FOUND or WRONG_TYPE otherwise
     */
    public Instant getInstant(String name) {
        return Instant.ofEpochSecond(getLong(name));
    }

    /**
     * Any claim as compact JSON text.
     *
     * @param name the claim's name
     * @return its value as JSON
     * @throws DstokenException NOT_FOUND if absent
     */
    public String getJson(String name) {
        byte[] n = Utf8.encode(name, "name", "Claims.getJson");
        return Utf8.decode(nat("Claims.getJson", h -> Native.claimsGetJson(h, n)));
    }

    /**
     * The team id ({@code td}).
     *
     * @return the team id
     * @throws DstokenException NOT_FOUND if absent
     */
    public String teamId() {
        return getString("td");
    }

    /**
     * The room ({@code rd}).
     *
     * @return the room
     * @throws DstokenException NOT_FOUND if absent
     */
    public String room() {
        return getString("rd");
    }

    /**
     * The user name ({@code u}).
     *
     * @return the user name
     * @throws DstokenException NOT_FOUND if absent
     */
    public String userName() {
        return getString("u");
    }

    /**
     * The external user id ({@code ud}).
     *
     * @return the external user id
     * @throws DstokenException NOT_FOUND if absent
     */
    public String userId() {
        return getString("ud");
    }

    /**
     * The initials ({@code initials}).
     *
     * @return the initials
     * @throws DstokenException NOT_FOUND if absent
     */
    public String initials() {
        return getString("initials");
    }

    /**
     * The role ({@code role}).
     *
     * @return the role
     * @throws DstokenException NOT_FOUND if absent
     */
    public String role() {
        return getString("role");
    }

    /**
     * The breakout room id ({@code breakoutId}).
     *
     * @return the breakout room id
     * @throws DstokenException NOT_FOUND if absent
     */
    public String breakoutId() {
        return getString("breakoutId");
    }

    /**
     * The avatar URL ({@code avatar}).
     *
     * @return the avatar URL
     * @throws DstokenException NOT_FOUND if absent
     */
    public String avatar() {
        return getString("avatar");
    }

    /**
     * When the token was issued ({@code iat}).
     *
     * @return when the token was issued
     * @throws DstokenException NOT_FOUND if absent or not a whole number of seconds (WRONG_TYPE)
     */
    public Instant issuedAt() {
        return getInstant("iat");
    }

    /**
     * The time before which the token is not valid ({@code nbf}).
     *
     * @return the time before which the token is not valid
     * @throws DstokenException NOT_FOUND if absent or not a whole number of seconds (WRONG_TYPE)
     */
    public Instant notBefore() {
        return getInstant("nbf");
    }

    /**
     * The expiry ({@code exp}).
     *
     * @return the expiry
     * @throws DstokenException NOT_FOUND if absent or not a whole number of seconds (WRONG_TYPE)
     */
    public Instant expiresAt() {
        return getInstant("exp");
    }

    /**
     * The whole payload as compact JSON, in payload order.
     *
     * @return the payload JSON
     */
    public String toJson() {
        return Utf8.decode(nat("Claims.toJson", Native::claimsToJson));
    }

    /**
     * An independent copy (close it too).
     *
     * @return a new Claims with the same values
     */
    public Claims copy() {
        open();
        if (handle == null) {
            Claims c = new Claims();
            System.arraycopy(text, 0, c.text, 0, 8);
            c.present = present;
            c.iat = iat;
            c.nbf = nbf;
            c.exp = exp;
            c.noExpiry = noExpiry;
            c.signNow = signNow;
            return c;
        }
        Claims c = new Claims(nat("Claims.copy", Native::claimsClone));
        c.noExpiry = noExpiry;
        c.signNow = signNow;
        return c;
    }

    /**
     * True once closed.
     *
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /** Releases the native memory, if any; later uses throw IllegalStateException. Idempotent. */
    @Override
    public void close() {
        closed = true;
        java.util.Arrays.fill(text, null);
        present = 0;
        if (handle != null) {
            handle.close();
        }
    }

    @Override
    public String toString() {
        return closed ? "Claims[closed]" : "Claims" + toJson();
    }
}

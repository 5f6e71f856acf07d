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
 * <p>Every rule is the library's, checked when the token is signed (or when a custom claim is
 * set): an expiry is required ({@link #expiresIn}, {@link #validity} or {@link #expiresAt})
 * unless {@link #noExpiry(boolean) noExpiry(true)} says that a token valid forever is meant;
 * times lie between 1970-01-01 and 9999-12-31T23:59:59Z, and one in milliseconds is refused as
 * such; a lifetime is whole seconds and at most {@link #maxLifetime(Duration)} (30 days unless
 * raised); a token already expired when signed is refused. {@link #expiresIn} and
 * {@link #validity} set {@code iat}, {@code nbf} and {@code exp} when the token is signed, from
 * the time of signing. Custom claims ({@link #set(String, String)} and its overloads,
 * {@link #setJson}) cannot carry a registered name ({@code td rd u ud initials role breakoutId
 * avatar iat nbf exp}): the library refuses it, naming the typed setter to use.
 *
 * <p>Cost: without custom claims the claims are kept on the Java side and the token is minted
 * in one native call ({@code dst_mint_into}). The first custom claim, {@link #setJson},
 * {@link #toJson}, {@link #has}, {@link #remove} or a getter moves the claims into a native claim set;
 * from then on each call is one native call, and signing is still one (two with a lifetime).
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
    /** Bits of {@link #present} for the time claims. */
    static final int IAT = 1 << 8, NBF = 1 << 9, EXP = 1 << 10;
    /** The one-call mint's flag for dst_room_token.no_expiry (beside the slot bits). */
    static final int NO_EXPIRY = 1 << 11;
    private static final String[] TIME_NAMES = {"iat", "nbf", "exp"};

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
    // The relative times (expiresIn, validity), applied when signing; and their limits.
    private boolean relative, hasSkew;
    private long lifetimeSeconds, skewSeconds, maxLifetimeSeconds;
    private int lifetimeNanos;
    private boolean noExpiry;
    /** "Now" for the mint, in unix seconds; 0: the clock (tests set it). */
    private long now;
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

    private Claims setSlot(int i, String value, String method, String what) {
        Utf8.check(value, what, method);
        open();
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
        open();
        if (handle != null) {
            byte[] n = Utf8.encode(TIME_NAMES[Integer.numberOfTrailingZeros(bit) - 8], "name");
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
     * The whole seconds of a duration that has no finer part in the library's API (a skew, a
     * maximum lifetime): a fraction of a second cannot be passed on, so it is refused here.
     */
    static long wholeSeconds(Duration d, String what, String method) {
        Objects.requireNonNull(d, what);
        if (d.getNano() != 0) {
            throw new IllegalArgumentException(method + ": " + what + " must be whole seconds, got " + d);
        }
        return d.getSeconds();
    }

    /** Seconds since the epoch now, for the tests' fixed clocks (the library reads the same clock). */
    static long nowSeconds() {
        return Math.floorDiv(System.currentTimeMillis(), 1000L);
    }

    /** For the tests: the mint's "now" (0: the clock), as dst_room_token's {@code now}. */
    Claims at(long now) {
        this.now = now;
        return this;
    }

    /**
     * Signs with {@code key}: one native call ({@code dst_mint_into}) for the Java-side values,
     * or {@code dst_sign_into} once materialised. Errors name {@code method}.
     */
    String sign(SigningKey key, String method) {
        open();
        key.checkOpen(); // a closed key is reported first
        // A time of 0 is "absent" in dst_room_token: such claims go through the claim set.
        boolean zeroTime = ((present & IAT) != 0 && iat == 0) || ((present & NBF) != 0 && nbf == 0)
                || ((present & EXP) != 0 && exp == 0);
        if (handle == null && !zeroTime) {
            return Dstoken.mintSlots(text, present | (noExpiry ? NO_EXPIRY : 0), iat, nbf, exp,
                    relative ? lifetimeSeconds : 0, relative ? lifetimeNanos : 0, maxLifetimeSeconds,
                    hasSkew ? skewSeconds : 0, now, key, method);
        }
        if (relative) {
            applyRelative(method);
        }
        String token;
        try {
            token = key.with(k -> nat(method, c -> Utf8.decode(Native.sign(c, k))));
        } catch (DstokenException e) {
            throw e.in(method);
        }
        checkExpiryPolicy(method);
        return token;
    }

    /** The claim-set path's relative times: dst_claims_set_lifetime (every lifetime rule), then nbf. */
    private void applyRelative(String method) {
        byte[] iatName = {'i', 'a', 't'}, nbfName = {'n', 'b', 'f'};
        nat(method, h -> {
            if (hasSkew) { // the library's checks of a skew (and the lifetime) first
                Native.claimsSetValidity(h, skewSeconds, lifetimeSeconds);
            }
            Native.claimsSetLifetime(h, now, lifetimeSeconds, lifetimeNanos, maxLifetimeSeconds);
            if (hasSkew) {
                Native.claimsSetInt(h, nbfName, Native.claimsGetInt(h, iatName) - skewSeconds);
            }
            return null;
        });
    }

    /**
     * The one-call mint's expiry rules, for the claim-set path: the library's dst_sign signs
     * whatever it is given and has no entry point with these rules for a claim set with custom
     * claims, so they are asked here, worded from the library's reasons like its own errors.
     */
    private void checkExpiryPolicy(String method) {
        byte[] expName = {'e', 'x', 'p'};
        boolean hasExp = nat(method, h -> Native.claimsHas(h, expName));
        if (hasExp && noExpiry) {
            throw DstokenException.of(Status.INVALID_ARGUMENT, Reason.CONFLICT, Argument.NO_EXPIRY,
                    Argument.EXPIRES_AT, 0, 0, 0, 0, "", "").in(method);
        }
        if (!hasExp && !noExpiry) {
            throw DstokenException.of(Status.INVALID_ARGUMENT, Reason.NO_EXPIRY, Argument.LIFETIME,
                    Argument.EXPIRES_AT, 0, 0, 0, 0, "", "").in(method);
        }
        if (hasExp) {
            long e = nat(method, h -> Native.claimsGetInt(h, expName));
            long t = now != 0 ? now : nowSeconds();
            if (e <= t) {
                throw DstokenException.of(Status.INVALID_ARGUMENT, Reason.ALREADY_EXPIRED, Argument.EXPIRES_AT,
                        Argument.LIFETIME, t, t - e, e, 0, "", "").in(method);
            }
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
     * Sets {@code exp} (whole seconds; the fraction is dropped). It must be after the time of
     * signing (a token already expired is refused) and cannot be combined with
     * {@link #expiresIn} or {@link #validity}.
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
     * Sets {@code iat} = now and {@code exp} = now + lifetime when the token is signed. The
     * lifetime is whole seconds (a fraction of a second is refused: token times have none), and
     * at most {@link #maxLifetime(Duration)}, 30 days by default.
     *
     * @param lifetime how long the token is valid, positive
     * @return this
     */
    public Claims expiresIn(Duration lifetime) {
        return relative(null, lifetime);
    }

    /**
     * Sets {@code iat} = now, {@code nbf} = now - skew, {@code exp} = now + lifetime when the
     * token is signed; the lifetime as {@link #expiresIn(Duration)}.
     *
     * @param skew how long before now the token is already valid (zero or positive, whole seconds)
     * @param lifetime how long the token is valid, positive
     * @return this
     * @throws IllegalArgumentException for a skew with a fraction of a second
     */
    public Claims validity(Duration skew, Duration lifetime) {
        Objects.requireNonNull(skew, "skew");
        return relative(skew, lifetime);
    }

    private Claims relative(Duration skew, Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        long k = skew == null ? 0 : wholeSeconds(skew, "skew", "Claims.validity");
        open();
        relative = true;
        hasSkew = skew != null;
        skewSeconds = k;
        lifetimeSeconds = lifetime.getSeconds();
        lifetimeNanos = lifetime.getNano();
        return this;
    }

    /** For the tests: a relative lifetime judged at {@code now} (the mint's now). */
    Claims expiresIn(Duration lifetime, long now) {
        return expiresIn(lifetime).at(now);
    }

    /**
     * The longest lifetime {@link #expiresIn} and {@link #validity} accept (the library's
     * default, 30 days, unless set): a longer one is refused, so that a lifetime given in
     * milliseconds is not signed as a weeks-long token. Raise it to mint longer-lived tokens on
     * purpose.
     *
     * @param max the longest lifetime, whole seconds; {@link Duration#ZERO} for the default
     * @return this
     * @throws IllegalArgumentException for a fraction of a second
     */
    public Claims maxLifetime(Duration max) {
        long s = wholeSeconds(max, "maxLifetime", "Claims.maxLifetime");
        open();
        maxLifetimeSeconds = s;
        return this;
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
        byte[] n = Utf8.encode(name, "name", "Claims.set");
        byte[] v = Utf8.encode(value, "value", "Claims.set");
        nat("Claims.set", h -> {
            Native.claimsSetCustomString(h, n, v);
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
        byte[] n = Utf8.encode(name, "name", "Claims.set");
        nat("Claims.set", h -> {
            Native.claimsSetCustomInt(h, n, value);
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
     * @throws IllegalArgumentException for NaN or an infinity
     * @throws DstokenException INVALID_ARGUMENT for a registered claim or an empty name
     */
    public Claims set(String name, double value) {
        byte[] n = Utf8.encode(name, "name", "Claims.set");
        if (!Double.isFinite(value)) { // a Java value with no JSON form: converted here or not at all
            throw new IllegalArgumentException("Claims.set: claim \"" + name + "\" must be a finite number, got "
                    + value + " (JSON has no NaN or Infinity)");
        }
        byte[] v = Utf8.encode(Double.toString(value), "value", "Claims.set");
        nat("Claims.set", h -> {
            Native.claimsSetCustomJson(h, n, v);
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
        byte[] n = Utf8.encode(name, "name", "Claims.set");
        nat("Claims.set", h -> {
            Native.claimsSetCustomBool(h, n, value);
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
        byte[] n = Utf8.encode(name, "name", "Claims.setJson");
        byte[] v = Utf8.encode(json, "json", "Claims.setJson");
        nat("Claims.setJson", h -> {
            Native.claimsSetCustomJson(h, n, v);
            return null;
        });
        return this;
    }

    /**
     * Removes a claim ({@code exp} or {@code iat} also drops a lifetime set by
     * {@link #expiresIn} or {@link #validity}, {@code nbf} its skew).
     *
     * @param name the claim's name
     * @return this
     * @throws DstokenException NOT_FOUND if absent
     */
    public Claims remove(String name) {
        Objects.requireNonNull(name, "name");
        open();
        boolean time = name.equals("exp") || name.equals("iat");
        if ((relative && time) || (hasSkew && name.equals("nbf"))) {
            relative &= !time;
            hasSkew = false;
            if (!has(name)) { // set when signing only: dropping the lifetime or skew removes it
                return this;
            }
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
            c.copyModes(this);
            return c;
        }
        Claims c = new Claims(nat("Claims.copy", Native::claimsClone));
        c.copyModes(this);
        return c;
    }

    private void copyModes(Claims o) {
        relative = o.relative;
        hasSkew = o.hasSkew;
        lifetimeSeconds = o.lifetimeSeconds;
        lifetimeNanos = o.lifetimeNanos;
        skewSeconds = o.skewSeconds;
        maxLifetimeSeconds = o.maxLifetimeSeconds;
        noExpiry = o.noExpiry;
        now = o.now;
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

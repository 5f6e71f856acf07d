package org.dstoken;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

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
 * A Claims may be used from several threads: mutations are serialised by a lock. Close it to
 * free the native memory at once; a Cleaner does it otherwise.
 */
public final class Claims extends NativeResource {
    /** An empty claim set. */
    public Claims() {
        this(Native.claimsNew());
    }

    Claims(long handle) {
        super(handle, Native::claimsFree, "Claims");
    }

    private Claims str(String name, String value, String what) {
        byte[] n = Utf8.encode(name, "name");
        byte[] v = Utf8.encode(value, what);
        write(h -> {
            Native.claimsSetString(h, n, v);
            return null;
        });
        return this;
    }

    private Claims time(String name, Instant t, String what) {
        Objects.requireNonNull(t, what);
        return set(name, t.getEpochSecond());
    }

    /** Sets {@code td}, the team id (required to sign). */
    public Claims teamId(String teamId) {
        return str("td", teamId, "teamId");
    }

    /** Sets {@code rd}, the room name or UUID (required to sign). */
    public Claims room(String room) {
        return str("rd", room, "room");
    }

    /** Sets {@code u}, the user's display name. */
    public Claims userName(String userName) {
        return str("u", userName, "userName");
    }

    /** Sets {@code ud}, the external user id. */
    public Claims userId(String userId) {
        return str("ud", userId, "userId");
    }

    /** Sets {@code initials}. */
    public Claims initials(String initials) {
        return str("initials", initials, "initials");
    }

    /** Sets {@code role}, e.g. "moderator". */
    public Claims role(String role) {
        return str("role", role, "role");
    }

    /** Sets {@code breakoutId}. */
    public Claims breakoutId(String breakoutId) {
        return str("breakoutId", breakoutId, "breakoutId");
    }

    /** Sets {@code avatar}, the picture URL. */
    public Claims avatar(String avatar) {
        return str("avatar", avatar, "avatar");
    }

    /** Sets {@code iat} (whole seconds). */
    public Claims issuedAt(Instant t) {
        return time("iat", t, "issuedAt");
    }

    /** Sets {@code nbf} (whole seconds). */
    public Claims notBefore(Instant t) {
        return time("nbf", t, "notBefore");
    }

    /** Sets {@code exp} (whole seconds). */
    public Claims expiresAt(Instant t) {
        return time("exp", t, "expiresAt");
    }

    /** Sets {@code iat} = now and {@code exp} = now + lifetime (whole seconds, > 0). */
    public Claims expiresIn(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        write(h -> {
            Native.claimsSetExpiresIn(h, lifetime.getSeconds());
            return null;
        });
        return this;
    }

    /** Sets {@code iat} = now, {@code nbf} = now - skew, {@code exp} = now + lifetime. */
    public Claims validity(Duration skew, Duration lifetime) {
        Objects.requireNonNull(skew, "skew");
        Objects.requireNonNull(lifetime, "lifetime");
        write(h -> {
            Native.claimsSetValidity(h, skew.getSeconds(), lifetime.getSeconds());
            return null;
        });
        return this;
    }

    /** Sets any claim to a string (a registered time claim is refused). */
    public Claims set(String name, String value) {
        return str(name, value, "value");
    }

    /** Sets any claim to an integer (a registered string claim such as "u" is refused). */
    public Claims set(String name, long value) {
        byte[] n = Utf8.encode(name, "name");
        write(h -> {
            Native.claimsSetInt(h, n, value);
            return null;
        });
        return this;
    }

    /** Sets a custom claim to a boolean. */
    public Claims set(String name, boolean value) {
        byte[] n = Utf8.encode(name, "name");
        write(h -> {
            Native.claimsSetBool(h, n, value);
            return null;
        });
        return this;
    }

    /** Sets any claim to a JSON value given as text (validated). */
    public Claims setJson(String name, String json) {
        byte[] n = Utf8.encode(name, "name");
        byte[] v = Utf8.encode(json, "json");
        write(h -> {
            Native.claimsSetJson(h, n, v);
            return null;
        });
        return this;
    }

    /** Removes a claim; DstokenException NOT_FOUND if absent. */
    public Claims remove(String name) {
        byte[] n = Utf8.encode(name, "name");
        write(h -> {
            Native.claimsRemove(h, n);
            return null;
        });
        return this;
    }

    /** True if the claim is present. */
    public boolean has(String name) {
        byte[] n = Utf8.encode(name, "name");
        return read(h -> Native.claimsHas(h, n));
    }

    /** A string claim; DstokenException NOT_FOUND or WRONG_TYPE otherwise. */
    public String getString(String name) {
        byte[] n = Utf8.encode(name, "name");
        return Utf8.decode(read(h -> Native.claimsGetString(h, n)));
    }

    /** An integer claim; DstokenException NOT_FOUND or WRONG_TYPE otherwise. */
    public long getLong(String name) {
        byte[] n = Utf8.encode(name, "name");
        return read(h -> Native.claimsGetInt(h, n));
    }

    /** A boolean claim; DstokenException NOT_FOUND or WRONG_TYPE otherwise. */
    public boolean getBoolean(String name) {
        byte[] n = Utf8.encode(name, "name");
        return read(h -> Native.claimsGetBool(h, n));
    }

    /** A time claim ({@code iat}, {@code nbf}, {@code exp} or custom) as an Instant. */
    public Instant getInstant(String name) {
        return Instant.ofEpochSecond(getLong(name));
    }

    /** Any claim as compact JSON text. */
    public String getJson(String name) {
        byte[] n = Utf8.encode(name, "name");
        return Utf8.decode(read(h -> Native.claimsGetJson(h, n)));
    }

    /** The team id ({@code td}). */
    public String teamId() {
        return getString("td");
    }

    /** The room ({@code rd}). */
    public String room() {
        return getString("rd");
    }

    /** The user name ({@code u}). */
    public String userName() {
        return getString("u");
    }

    /** The whole payload as compact JSON, in payload order. */
    public String toJson() {
        return Utf8.decode(read(Native::claimsToJson));
    }

    /** An independent copy. */
    public Claims copy() {
        return new Claims(read(Native::claimsClone));
    }

    @Override
    public String toString() {
        return isClosed() ? "Claims[closed]" : "Claims" + toJson();
    }
}

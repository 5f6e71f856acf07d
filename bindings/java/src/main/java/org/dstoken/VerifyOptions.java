package org.dstoken;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Dstoken#verify(String, SigningKey, VerifyOptions)} checks besides the signature,
 * built fluently like java-jwt's {@code JWT.require(...)}:
 *
 * <pre>{@code
 * new VerifyOptions().teamId(teamId).room("daily-standup").require("u").leeway(Duration.ofSeconds(30))
 * }</pre>
 *
 * The defaults are the library's: the system clock, no leeway, {@code exp} required, any team
 * and room. A one-thread object like {@link Claims}, but it holds no native memory: reuse it.
 */
public final class VerifyOptions {
    private Instant now;
    private Duration leeway = Duration.ZERO;
    private boolean expOptional;
    private String teamId, room;
    private final List<String> required = new ArrayList<>();

    /** The defaults: the clock, no leeway, {@code exp} required, any team and room. */
    public VerifyOptions() {}

    /**
     * Checks the times against {@code now} instead of the system clock.
     *
     * @param now the time to check against (whole seconds; the fraction is dropped), or null for
     *     the clock (as is {@link Instant#EPOCH}: 0 means the clock in the library's options)
     * @return this
     */
    public VerifyOptions now(Instant now) {
        this.now = now;
        return this;
    }

    /**
     * The clock difference allowed for {@code exp}, {@code nbf} and {@code iat}.
     *
     * @param leeway whole seconds, from 0 to 2^32-1
     * @return this
     * @throws IllegalArgumentException if it is negative, too long or not whole seconds
     */
    public VerifyOptions leeway(Duration leeway) {
        Objects.requireNonNull(leeway, "leeway");
        long s = Claims.wholeSeconds(leeway, "leeway", "VerifyOptions.leeway");
        if (s < 0 || s > 0xFFFF_FFFFL) { // the C API's uint32_t: a Java value that does not fit
            throw new IllegalArgumentException(
                    "VerifyOptions.leeway: leeway must be between 0 and 2^32-1 seconds, got " + leeway);
        }
        this.leeway = leeway;
        return this;
    }

    /**
     * Whether a token without {@code exp} is accepted. By default ({@code false}) it is refused
     * with {@link MissingClaimException}, as the mint refuses to sign one; {@code true} accepts
     * tokens without an expiry, as Digital Samba's own REST examples mint them.
     *
     * @param optional true to accept a token without {@code exp}
     * @return this
     */
    public VerifyOptions expOptional(boolean optional) {
        this.expOptional = optional;
        return this;
    }

    /**
     * The team id ({@code td}) the token must carry; another one, or none, is refused with
     * {@link IncorrectClaimException}.
     *
     * @param teamId the expected team id, or null for any
     * @return this
     */
    public VerifyOptions teamId(String teamId) {
        this.teamId = teamId;
        return this;
    }

    /**
     * The room ({@code rd}) the token must carry; another one, or none, is refused with
     * {@link IncorrectClaimException}.
     *
     * @param room the expected room, or null for any
     * @return this
     */
    public VerifyOptions room(String room) {
        this.room = room;
        return this;
    }

    /**
     * Claims the token must carry (added to those already required); one absent is refused
     * with {@link MissingClaimException}.
     *
     * @param names claim names, e.g. {@code "u"}
     * @return this
     */
    public VerifyOptions require(String... names) {
        for (String n : Objects.requireNonNull(names, "names")) {
            required.add(Objects.requireNonNull(n, "names contains null"));
        }
        return this;
    }

    long nowSeconds() {
        return now == null ? 0 : now.getEpochSecond();
    }

    int leewaySeconds() {
        return (int) leeway.getSeconds(); // as uint32_t
    }

    boolean isExpOptional() {
        return expOptional;
    }

    byte[] teamIdBytes(String method) {
        return teamId == null ? null : Utf8.encode(teamId, "teamId", method);
    }

    byte[] roomBytes(String method) {
        return room == null ? null : Utf8.encode(room, "room", method);
    }

    byte[][] requiredBytes(String method) {
        if (required.isEmpty()) {
            return null;
        }
        byte[][] out = new byte[required.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Utf8.encode(required.get(i), "required", method);
        }
        return out;
    }
}

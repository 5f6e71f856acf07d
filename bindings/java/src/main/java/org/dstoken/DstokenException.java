package org.dstoken;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A dstoken call failed. The library reports every error as data, which this exception
 * carries: the {@link Status} ({@link #getStatus()}; {@link #status()} is its number), the
 * {@link Reason} (which rule refused), the argument or claim at fault in this API's spelling
 * ({@link #getArgument()}), and the numbers involved. Its message is the reason's template
 * filled with those parts, after the Java method you called, e.g.
 *
 * <pre>
 * DST_ERR_EXPIRED: Dstoken.verify: the token expired at 2026-01-01T00:00:00Z, 1 h 2 min 3 s ago
 * </pre>
 *
 * Catch the subclass you mean, as with java-jwt: {@link TokenExpiredException},
 * {@link SignatureVerificationException}, {@link AlgorithmMismatchException},
 * {@link JWTDecodeException}, {@link MissingClaimException}, {@link IncorrectClaimException}
 * (and {@link InvalidClaimException}, their parent and that of a token not yet valid). The
 * message never contains key bytes.
 *
 * <p>Misuse that Java itself can name (a null argument, a closed object, U+0000 in a string) is
 * reported with the usual Java exceptions instead ({@link NullPointerException},
 * {@link IllegalStateException}, {@link IllegalArgumentException}).
 */
public class DstokenException extends RuntimeException {
    private static final long serialVersionUID = 2L;

    /** {@code DST_ERR_NULL_ARGUMENT}: a required argument was absent. */
    public static final int NULL_ARGUMENT = 1;
    /** {@code DST_ERR_INVALID_UTF8}: text that should be UTF-8 was not. */
    public static final int INVALID_UTF8 = 2;
    /** {@code DST_ERR_INVALID_ARGUMENT}: an argument or claim value is not acceptable. */
    public static final int INVALID_ARGUMENT = 3;
    /** {@code DST_ERR_MISSING_CLAIM}: a required claim is absent. */
    public static final int MISSING_CLAIM = 4;
    /** {@code DST_ERR_BUFFER_TOO_SMALL}: an output buffer was too small (not seen from Java). */
    public static final int BUFFER_TOO_SMALL = 5;
    /** {@code DST_ERR_MALFORMED_TOKEN}: the token is not a well-formed compact JWS. */
    public static final int MALFORMED_TOKEN = 6;
    /** {@code DST_ERR_UNSUPPORTED_ALGORITHM}: the token's {@code alg} is not HS256. */
    public static final int UNSUPPORTED_ALGORITHM = 7;
    /** {@code DST_ERR_BAD_SIGNATURE}: the signature does not match the key. */
    public static final int BAD_SIGNATURE = 8;
    /** {@code DST_ERR_EXPIRED}: the token's {@code exp} has passed. */
    public static final int EXPIRED = 9;
    /** {@code DST_ERR_NOT_YET_VALID}: the token's {@code nbf} (or {@code iat}) is in the future. */
    public static final int NOT_YET_VALID = 10;
    /** {@code DST_ERR_NOT_FOUND}: the claim is not present. */
    public static final int NOT_FOUND = 11;
    /** {@code DST_ERR_WRONG_TYPE}: the claim has another JSON type. */
    public static final int WRONG_TYPE = 12;
    /** {@code DST_ERR_INTERNAL}: a bug in dstoken. */
    public static final int INTERNAL = 13;
    /** {@code DST_ERR_CLAIM_MISMATCH}: the token's team id or room is not the one expected. */
    public static final int CLAIM_MISMATCH = 14;

    /** The status. */
    private final Status status;
    /** Which rule refused. */
    private final Reason reason;
    /** The argument or claim at fault. */
    private final Argument argument;
    /** A second argument the rule involves. */
    private final Argument other;
    /** The value given. */
    private final long value;
    /** The limit, the value wanted, or a second value. */
    private final long limit;
    /** A time, unix seconds. */
    private final long time;
    /** The value to give instead. */
    private final long suggested;
    /** A claim's JSON name, or "". */
    private final String claimName;
    /** The string the error is about, or "". */
    private final String text;
    /** The Java method the error is reported from, or null. */
    private String method;
    /** For errors found on the Java side: the message itself (no reason). */
    private final String plain;

    /** The parts of an error, as dst_error carries them. */
    DstokenException(Status status, Reason reason, Argument argument, Argument other, long value, long limit,
            long time, long suggested, String claimName, String text) {
        this.status = status;
        this.reason = reason;
        this.argument = argument;
        this.other = other;
        this.value = value;
        this.limit = limit;
        this.time = time;
        this.suggested = suggested;
        this.claimName = claimName;
        this.text = text;
        this.plain = null;
    }

    /** An error found on the Java side, worded here (no reason). */
    DstokenException(int status, String message) {
        this.status = Status.of(status);
        this.reason = Reason.NONE;
        this.argument = Argument.NONE;
        this.other = Argument.NONE;
        this.value = this.limit = this.time = this.suggested = 0;
        this.claimName = this.text = "";
        this.plain = message;
    }

    /**
     * Called from the JNI glue with the parts of dst_last_error(): builds the exception class
     * that the status (and the reason) call for. Strings arrive as UTF-8 bytes.
     */
    static DstokenException fromNative(int status, int reason, int argument, int other, long value, long limit,
            long time, long suggested, byte[] name, byte[] text) {
        return of(Status.of(status), Reason.of(reason), Argument.of(argument), Argument.of(other), value, limit, time,
                suggested, new String(name, StandardCharsets.UTF_8), new String(text, StandardCharsets.UTF_8));
    }

    /** The exception class for these parts. */
    static DstokenException of(Status status, Reason reason, Argument argument, Argument other, long value,
            long limit, long time, long suggested, String name, String text) {
        switch (status) {
            case EXPIRED:
                return new TokenExpiredException(reason, argument, other, value, limit, time, suggested, name, text);
            case BAD_SIGNATURE:
                return new SignatureVerificationException(reason, argument, other, value, limit, time, suggested,
                        name, text);
            case UNSUPPORTED_ALGORITHM:
                return new AlgorithmMismatchException(reason, argument, other, value, limit, time, suggested, name,
                        text);
            case MALFORMED_TOKEN:
                return new JWTDecodeException(reason, argument, other, value, limit, time, suggested, name, text);
            case CLAIM_MISMATCH:
                return new IncorrectClaimException(reason, argument, other, value, limit, time, suggested, name,
                        text);
            case NOT_YET_VALID:
                return new InvalidClaimException(status, reason, argument, other, value, limit, time, suggested,
                        name, text);
            case MISSING_CLAIM:
                // A verified token without a required claim; signing without td/rd is the caller's
                // argument error, but java-jwt users catch both as a missing claim.
                return new MissingClaimException(reason, argument, other, value, limit, time, suggested, name,
                        text);
            default:
                return new DstokenException(status, reason, argument, other, value, limit, time, suggested, name,
                        text);
        }
    }

    /** Reports this error from the Java method {@code method} (its message starts with it); returns this. */
    DstokenException in(String method) {
        if (this.method == null) {
            this.method = method;
        }
        return this;
    }

    @Override
    public String getMessage() {
        return status.cName() + ": " + libraryMessage();
    }

    /**
     * The dst_status number, one of the constants of this class.
     *
     * @return the status, e.g. {@link #BAD_SIGNATURE}
     */
    public int status() {
        return status.number();
    }

    /**
     * The dst_status name.
     *
     * @return the name, e.g. {@code DST_ERR_EXPIRED}
     */
    public String statusName() {
        return status.cName();
    }

    /**
     * The message without the status name: the Java method called, then what is wrong.
     *
     * @return the message, e.g. {@code Dstoken.verify: the token expired at ...}
     */
    public String libraryMessage() {
        String m = plain != null ? plain : Messages.format(this);
        return method == null ? m : method + ": " + m;
    }

    /**
     * The status.
     *
     * @return e.g. {@link Status#EXPIRED}
     */
    public Status getStatus() {
        return status;
    }

    /**
     * Which rule refused.
     *
     * @return the reason, {@link Reason#NONE} when the status says all there is
     */
    public Reason getReason() {
        return reason;
    }

    /**
     * The argument or claim at fault.
     *
     * @return the argument; {@link Argument#spelling()} is its name in this API
     */
    public Argument getArgument() {
        return argument;
    }

    /**
     * A second argument the rule involves (the other of two that conflict, the setter of a
     * registered claim), or {@link Argument#NONE}.
     *
     * @return the argument
     */
    public Argument getOther() {
        return other;
    }

    /**
     * The value given (what it is depends on the reason: see {@link Reason}).
     *
     * @return the value, or 0
     */
    public long getValue() {
        return value;
    }

    /**
     * The limit, the value wanted, or a second value (see {@link Reason}).
     *
     * @return the limit, or 0
     */
    public long getLimit() {
        return limit;
    }

    /**
     * The time the error involves (the expiry of an expired token, ...), or null.
     *
     * @return the time, or null when the reason has none
     */
    public Instant getTime() {
        return time == 0 && !Messages.usesTime(reason) ? null : Instant.ofEpochSecond(time);
    }

    /**
     * The time as unix seconds (0 when the reason has none).
     *
     * @return the seconds
     */
    public long getTimeSeconds() {
        return time;
    }

    /**
     * The value to give instead, when the reason has one (a time in milliseconds as seconds).
     *
     * @return the value, or 0
     */
    public long getSuggested() {
        return suggested;
    }

    /**
     * The JSON name of the claim concerned, or "".
     *
     * @return e.g. {@code rd}
     */
    public String getClaimName() {
        return claimName;
    }

    /**
     * The string the error is about (the host given, the token's alg, the token's value of a
     * claim that did not match), or "".
     *
     * @return the text
     */
    public String getText() {
        return text;
    }
}

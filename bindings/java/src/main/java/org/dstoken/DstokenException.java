package org.dstoken;

import java.nio.charset.StandardCharsets;

/**
 * A dstoken call failed: carries the C library's status ({@link #status()}, e.g. 8), its name
 * ({@link #statusName()}, e.g. {@code DST_ERR_BAD_SIGNATURE}) and a message that names the Java
 * method you called and the argument or claim at fault (for a missing claim, the setter that
 * sets it), and never contains key bytes. For example:
 *
 * <pre>
 * DST_ERR_MISSING_CLAIM: Dstoken.sign: claim "td" (team id) is required to sign a token: set it with teamId()
 * </pre>
 *
 * Misuse that Java itself can name (a null argument, a closed object, U+0000 in a string) is
 * reported with the usual Java exceptions instead ({@link NullPointerException},
 * {@link IllegalStateException}, {@link IllegalArgumentException}).
 */
public final class DstokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code DST_ERR_NULL_ARGUMENT}: a required argument was absent. */
    public static final int NULL_ARGUMENT = 1;
    /** {@code DST_ERR_INVALID_UTF8}: text that should be UTF-8 was not. */
    public static final int INVALID_UTF8 = 2;
    /** {@code DST_ERR_INVALID_ARGUMENT}: an argument or claim value is not acceptable. */
    public static final int INVALID_ARGUMENT = 3;
    /** {@code DST_ERR_MISSING_CLAIM}: {@code td} or {@code rd} is absent when signing. */
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

    private static final String[] NAMES = {"DST_OK", "DST_ERR_NULL_ARGUMENT", "DST_ERR_INVALID_UTF8",
        "DST_ERR_INVALID_ARGUMENT", "DST_ERR_MISSING_CLAIM", "DST_ERR_BUFFER_TOO_SMALL", "DST_ERR_MALFORMED_TOKEN",
        "DST_ERR_UNSUPPORTED_ALGORITHM", "DST_ERR_BAD_SIGNATURE", "DST_ERR_EXPIRED", "DST_ERR_NOT_YET_VALID",
        "DST_ERR_NOT_FOUND", "DST_ERR_WRONG_TYPE", "DST_ERR_INTERNAL"};

    /** The dst_status number. */
    private final int status;
    /** The dst_status name. */
    private final String statusName;
    /** The message without the status name. */
    private final String libraryMessage;

    /** Called from the JNI glue; the message arrives as UTF-8 bytes (not modified UTF-8). */
    DstokenException(int status, String statusName, byte[] message) {
        this(status, statusName, new String(message, StandardCharsets.UTF_8));
    }

    /** An error found on the Java side (same statuses as the C library's). */
    DstokenException(int status, String message) {
        this(status, status >= 0 && status < NAMES.length ? NAMES[status] : "DST_ERR_" + status, message);
    }

    private DstokenException(int status, String statusName, String message) {
        super(statusName + ": " + message);
        this.status = status;
        this.statusName = statusName;
        this.libraryMessage = message;
    }

    /**
     * The same error reported as coming from the Java method {@code method}: the C function
     * name that starts the library's message ({@code dst_sign_into: ...}) is replaced by it, and
     * a missing {@code td}/{@code rd} gets the setter to call.
     */
    DstokenException in(String method) {
        String m = libraryMessage;
        if (m.startsWith("dst_")) {
            int colon = m.indexOf(": ");
            if (colon > 0) {
                m = m.substring(colon + 2);
            }
        }
        m = m.replace("DST_URL_ALLOW_PORT / the binding's allow-port option", "UrlOption.ALLOW_PORT")
                .replace("DST_URL_ALLOW_PORT", "UrlOption.ALLOW_PORT");
        if (status == MISSING_CLAIM && !m.contains("set it with")) {
            if (m.contains("\"td\"")) {
                m += ": set it with teamId()";
            } else if (m.contains("\"rd\"")) {
                m += ": set it with room()";
            }
        }
        DstokenException e = new DstokenException(status, statusName, method + ": " + m);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * The dst_status number, one of the constants of this class.
     *
     * @return the status, e.g. {@link #BAD_SIGNATURE}
     */
    public int status() {
        return status;
    }

    /**
     * The dst_status name.
     *
     * @return the name, e.g. {@code DST_ERR_EXPIRED}
     */
    public String statusName() {
        return statusName;
    }

    /**
     * The message without the status name: the Java method called, then what is wrong.
     *
     * @return the message, e.g. {@code Dstoken.verify: the token expired at ...}
     */
    public String libraryMessage() {
        return libraryMessage;
    }
}

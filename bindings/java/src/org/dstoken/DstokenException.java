package org.dstoken;

import java.nio.charset.StandardCharsets;

/**
 * A dstoken call failed: carries the C library's status ({@link #status()}, e.g. 8), its name
 * ({@link #statusName()}, e.g. {@code DST_ERR_BAD_SIGNATURE}) and the library's message, which
 * names the argument or claim at fault and never contains key bytes.
 */
public final class DstokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code DST_ERR_BAD_SIGNATURE} and friends, as numbers (the C header's dst_status). */
    public static final int NULL_ARGUMENT = 1, INVALID_UTF8 = 2, INVALID_ARGUMENT = 3,
            MISSING_CLAIM = 4, BUFFER_TOO_SMALL = 5, MALFORMED_TOKEN = 6,
            UNSUPPORTED_ALGORITHM = 7, BAD_SIGNATURE = 8, EXPIRED = 9, NOT_YET_VALID = 10,
            NOT_FOUND = 11, WRONG_TYPE = 12, INTERNAL = 13;

    private final int status;
    private final String statusName;
    private final String libraryMessage;

    /** Called from the JNI glue; the message arrives as UTF-8 bytes (not modified UTF-8). */
    DstokenException(int status, String statusName, byte[] message) {
        this(status, statusName, new String(message, StandardCharsets.UTF_8));
    }

    private DstokenException(int status, String statusName, String message) {
        super(statusName + ": " + message);
        this.status = status;
        this.statusName = statusName;
        this.libraryMessage = message;
    }

    /** The dst_status number. */
    public int status() {
        return status;
    }

    /** The dst_status name, e.g. {@code DST_ERR_EXPIRED}. */
    public String statusName() {
        return statusName;
    }

    /** The library's message (from dst_last_error_message). */
    public String libraryMessage() {
        return libraryMessage;
    }
}

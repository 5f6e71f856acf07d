package org.dstoken;

/**
 * The token is not a well-formed compact JWS ({@link Status#MALFORMED_TOKEN}): {@link #getReason()} says what is wrong (a URL given as a token, bad base64url, ...).
 */
public class JWTDecodeException extends JWTVerificationException {
    private static final long serialVersionUID = 1L;

    JWTDecodeException(Reason reason, Argument argument, Argument other, long value, long limit, long time, long suggested,
            String name, String text) {
        super(Status.MALFORMED_TOKEN, reason, argument, other, value, limit, time, suggested, name, text);
    }
}

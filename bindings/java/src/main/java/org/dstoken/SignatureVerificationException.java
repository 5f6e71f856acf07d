package org.dstoken;

/**
 * The signature does not match: the token was not signed with this key, or it was altered ({@link Status#BAD_SIGNATURE}).
 */
public class SignatureVerificationException extends JWTVerificationException {
    private static final long serialVersionUID = 1L;

    SignatureVerificationException(Reason reason, Argument argument, Argument other, long value, long limit, long time, long suggested,
            String name, String text) {
        super(Status.BAD_SIGNATURE, reason, argument, other, value, limit, time, suggested, name, text);
    }
}

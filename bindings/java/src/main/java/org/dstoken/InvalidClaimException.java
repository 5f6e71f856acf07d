package org.dstoken;

/**
 * A claim of the token is refused, as java-jwt's exception of the same name: the parent of
 * {@link MissingClaimException} and {@link IncorrectClaimException}, and itself thrown for a
 * token not valid yet ({@link Status#NOT_YET_VALID}: {@link #getTime()} is its {@code nbf} or
 * {@code iat}).
 */
public class InvalidClaimException extends JWTVerificationException {
    private static final long serialVersionUID = 1L;

    InvalidClaimException(Status status, Reason reason, Argument argument, Argument other, long value, long limit,
            long time, long suggested, String name, String text) {
        super(status, reason, argument, other, value, limit, time, suggested, name, text);
    }
}

package org.dstoken;

/**
 * The token has expired ({@link Status#EXPIRED}): {@link #getExpiredOn()} is when, as java-jwt's exception of the same name.
 */
public class TokenExpiredException extends JWTVerificationException {
    private static final long serialVersionUID = 1L;

    TokenExpiredException(Reason reason, Argument argument, Argument other, long value, long limit, long time, long suggested,
            String name, String text) {
        super(Status.EXPIRED, reason, argument, other, value, limit, time, suggested, name, text);
    }

    /**
     * When the token expired (its {@code exp}).
     *
     * @return the expiry
     */
    public java.time.Instant getExpiredOn() {
        return java.time.Instant.ofEpochSecond(getTimeSeconds());
    }
}

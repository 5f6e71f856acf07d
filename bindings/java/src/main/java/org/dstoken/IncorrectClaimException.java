package org.dstoken;

/**
 * The token's team id or room is not the one {@link VerifyOptions} expects ({@link Status#CLAIM_MISMATCH}): {@link #getClaimName()} names the claim, {@link #getClaimValue()} is the token's value (or "" without one).
 */
public class IncorrectClaimException extends InvalidClaimException {
    private static final long serialVersionUID = 1L;

    IncorrectClaimException(Reason reason, Argument argument, Argument other, long value, long limit, long time, long suggested,
            String name, String text) {
        super(Status.CLAIM_MISMATCH, reason, argument, other, value, limit, time, suggested, name, text);
    }

    /**
     * The token's value of the claim, as java-jwt's {@code getClaimValue()}.
     *
     * @return the value, or "" when the token has none
     */
    public String getClaimValue() {
        return getText();
    }
}

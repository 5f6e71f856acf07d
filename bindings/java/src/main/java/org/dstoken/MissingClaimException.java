package org.dstoken;

/**
 * A required claim is absent ({@link Status#MISSING_CLAIM}): {@link #getClaimName()} names it (java-jwt's {@code getClaimName()}). Verification requires {@code exp} unless {@link VerifyOptions#expOptional(boolean)}, and the claims {@link VerifyOptions#require(String...)} lists; signing requires {@code td} and {@code rd}.
 */
public class MissingClaimException extends InvalidClaimException {
    private static final long serialVersionUID = 1L;

    MissingClaimException(Reason reason, Argument argument, Argument other, long value, long limit, long time, long suggested,
            String name, String text) {
        super(Status.MISSING_CLAIM, reason, argument, other, value, limit, time, suggested, name, text);
    }
}

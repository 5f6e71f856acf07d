package org.dstoken;

/**
 * The token's {@code alg} is not HS256 ({@link Status#UNSUPPORTED_ALGORITHM}); {@link #getText()} is the token's alg.
 */
public class AlgorithmMismatchException extends JWTVerificationException {
    private static final long serialVersionUID = 1L;

    AlgorithmMismatchException(Reason reason, Argument argument, Argument other, long value, long limit, long time, long suggested,
            String name, String text) {
        super(Status.UNSUPPORTED_ALGORITHM, reason, argument, other, value, limit, time, suggested, name, text);
    }
}

package org.dstoken;

/**
 * A token was refused by verification, as java-jwt's exception of the same name: the parent
 * of {@link TokenExpiredException}, {@link SignatureVerificationException},
 * {@link AlgorithmMismatchException}, {@link JWTDecodeException} and {@link InvalidClaimException}.
 */
public class JWTVerificationException extends DstokenException {
    private static final long serialVersionUID = 1L;

    JWTVerificationException(Status status, Reason reason, Argument argument, Argument other, long value, long limit,
            long time, long suggested, String name, String text) {
        super(status, reason, argument, other, value, limit, time, suggested, name, text);
    }
}

<?php

declare(strict_types=1);

namespace Dstoken;

/**
 * Every failure dstoken reports. getCode() is the status number (see Status), getStatus() its
 * name (e.g. "DST_ERR_INVALID_ARGUMENT"), getMessage() says what went wrong in this binding's
 * words (the function and the argument at fault) and how to fix it.
 *
 * Verification failures have their own subclasses, named as firebase/php-jwt names them:
 * ExpiredException, BeforeValidException, SignatureInvalidException, plus
 * MalformedTokenException and UnsupportedAlgorithmException.
 */
class DstokenException extends \RuntimeException
{
    private string $status;

    public function __construct(int $status, string $message, ?\Throwable $previous = null)
    {
        $this->status = Status::name($status);
        parent::__construct($this->status . ': ' . $message, $status, $previous);
    }

    /** The status name, e.g. "DST_ERR_EXPIRED". */
    public function getStatus(): string
    {
        return $this->status;
    }
}

<?php

declare(strict_types=1);

namespace Dstoken;

/** verify() failed with DST_ERR_EXPIRED: the token's `exp` (plus the leeway) has passed. */
class ExpiredException extends DstokenException
{
    /** The token's `exp` (UTC), as firebase/php-jwt users read it from the payload. */
    public function getExpiredAt(): ?\DateTimeImmutable
    {
        return $this->time;
    }
}

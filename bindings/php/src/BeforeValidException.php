<?php

declare(strict_types=1);

namespace Dstoken;

/** verify() failed with DST_ERR_NOT_YET_VALID: the token's `nbf` or `iat` lies in the future (beyond the leeway). */
class BeforeValidException extends DstokenException
{
}

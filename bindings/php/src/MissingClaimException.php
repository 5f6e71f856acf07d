<?php

declare(strict_types=1);

namespace Dstoken;

/** DST_ERR_MISSING_CLAIM: a required claim (exp unless expOptional, or one of verify()'s $required) is absent. */
class MissingClaimException extends DstokenException
{
}

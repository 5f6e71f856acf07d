<?php

declare(strict_types=1);

namespace Dstoken;

/** DST_ERR_CLAIM_MISMATCH: the token's td or rd is not the teamId or room verify() was told to expect; $claim names the claim, $text holds the token's value. */
class ClaimMismatchException extends DstokenException
{
}

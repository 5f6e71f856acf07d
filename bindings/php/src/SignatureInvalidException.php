<?php

declare(strict_types=1);

namespace Dstoken;

/** verify() failed with DST_ERR_BAD_SIGNATURE: the signature does not match the key (another team's key, a trailing newline in the key, or a key that was base64-decoded). */
class SignatureInvalidException extends DstokenException
{
}

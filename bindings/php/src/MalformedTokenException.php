<?php

declare(strict_types=1);

namespace Dstoken;

/** verify() failed with DST_ERR_MALFORMED_TOKEN: not a compact HS256 JWT (or a URL instead of the token alone). */
class MalformedTokenException extends DstokenException
{
}

<?php

declare(strict_types=1);

namespace Dstoken;

/** verify() failed with DST_ERR_UNSUPPORTED_ALGORITHM: the header's `alg` is not HS256 (`none` included). */
class UnsupportedAlgorithmException extends DstokenException
{
}

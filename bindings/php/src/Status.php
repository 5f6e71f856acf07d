<?php

declare(strict_types=1);

namespace Dstoken;

use Dstoken\Internal\Schema;

/**
 * The library's status numbers (dst_status in dstoken.h; stable, only ever appended to). Every
 * DstokenException carries one: getCode() is the number, getStatus() its name.
 */
final class Status
{
    public const OK = 0;
    public const NULL_ARGUMENT = 1;
    public const INVALID_UTF8 = 2;
    public const INVALID_ARGUMENT = 3;
    public const MISSING_CLAIM = 4;
    public const BUFFER_TOO_SMALL = 5;
    public const MALFORMED_TOKEN = 6;
    public const UNSUPPORTED_ALGORITHM = 7;
    public const BAD_SIGNATURE = 8;
    public const EXPIRED = 9;
    public const NOT_YET_VALID = 10;
    public const NOT_FOUND = 11;
    public const WRONG_TYPE = 12;
    public const INTERNAL = 13;
    public const CLAIM_MISMATCH = 14;

    private function __construct()
    {
    }

    /** The status name, e.g. "DST_ERR_EXPIRED" ("unknown status N" for other numbers). */
    public static function name(int $status): string
    {
        return Schema::STATUSES[$status] ?? "unknown status $status";
    }

    /** The status number of a name such as "DST_ERR_EXPIRED", or null. */
    public static function fromName(string $name): ?int
    {
        $i = array_search($name, Schema::STATUSES, true);
        return $i === false ? null : $i;
    }
}

<?php

declare(strict_types=1);

namespace Dstoken;

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

    private const NAMES = [
        'DST_OK', 'DST_ERR_NULL_ARGUMENT', 'DST_ERR_INVALID_UTF8', 'DST_ERR_INVALID_ARGUMENT',
        'DST_ERR_MISSING_CLAIM', 'DST_ERR_BUFFER_TOO_SMALL', 'DST_ERR_MALFORMED_TOKEN',
        'DST_ERR_UNSUPPORTED_ALGORITHM', 'DST_ERR_BAD_SIGNATURE', 'DST_ERR_EXPIRED',
        'DST_ERR_NOT_YET_VALID', 'DST_ERR_NOT_FOUND', 'DST_ERR_WRONG_TYPE', 'DST_ERR_INTERNAL',
    ];

    private function __construct()
    {
    }

    /** The status name, e.g. "DST_ERR_EXPIRED" ("unknown status N" for other numbers). */
    public static function name(int $status): string
    {
        return self::NAMES[$status] ?? "unknown status $status";
    }

    /** The status number of a name such as "DST_ERR_EXPIRED", or null. */
    public static function fromName(string $name): ?int
    {
        $i = array_search($name, self::NAMES, true);
        return $i === false ? null : $i;
    }
}

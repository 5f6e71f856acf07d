<?php

declare(strict_types=1);

namespace Dstoken\Internal;

/**
 * Decodes verified claims (compact JSON from dst_claims_to_json) keeping every number exact:
 * an integer comes back as int when it fits in PHP's int and as a numeric string otherwise; a
 * number with a fraction or an exponent comes back as float when that float reads back as the
 * very decimal value the token wrote (0.5, 2.5, 0.1 as PHP's shortest float form), and
 * otherwise as a string holding the number exactly as the token wrote it.
 *
 * @internal
 */
final class Json
{
    private function __construct()
    {
    }

    /** @return array<string, mixed> */
    public static function decodeObject(string $json): array
    {
        if (preg_match('/\d[.eE]|\d{19}/', $json) === 1) {
            $json = preg_replace_callback(
                '/"(?:[^"\\\\]|\\\\.)*+"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/',
                static fn (array $m): string => $m[0][0] === '"' || self::keepsExact($m[0]) ? $m[0] : '"' . $m[0] . '"',
                $json
            ) ?? throw new \RuntimeException('dstoken: cannot scan the verified claims (' . preg_last_error_msg() . ')');
        }
        $v = json_decode($json, true, 1024, JSON_BIGINT_AS_STRING | JSON_THROW_ON_ERROR);
        if (!is_array($v)) {
            throw new \RuntimeException('dstoken: the verified claims are not a JSON object');
        }
        return $v;
    }

    /** Whether json_decode gives this number exactly (as int, or as a float of the same value). */
    public static function keepsExact(string $number): bool
    {
        if (strpbrk($number, '.eE') === false) {
            return (string) (int) $number === ltrim($number, '+') || $number === '-0';
        }
        $f = (float) $number;
        return is_finite($f) && self::normal($number) === self::normal(var_export($f, true));
    }

    /** A decimal number's value in one spelling: sign, significant digits, power of ten. */
    private static function normal(string $t): ?string
    {
        if (preg_match('/^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/', $t, $m) !== 1) {
            return null;
        }
        $frac = $m[3] ?? '';
        $digits = ltrim($m[2] . $frac, '0');
        if ($digits === '') {
            return '0';
        }
        $exp = (int) ($m[4] ?? '0') - strlen($frac);
        $trimmed = rtrim($digits, '0');
        $exp += strlen($digits) - strlen($trimmed);
        return $m[1] . $trimmed . 'e' . $exp;
    }
}

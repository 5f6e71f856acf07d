<?php

declare(strict_types=1);

namespace Dstoken\Internal;

use Dstoken\DstokenException;
use Dstoken\Key;
use Dstoken\Status;
use FFI;

/**
 * The native calls behind mint(), mintUrl() and Claims::sign() (internal). Every rule (what
 * is required, the time range, milliseconds, lifetimes, expiry, registered names) is the
 * library's: this class converts PHP values to what the C API takes and nothing more.
 *
 * @internal
 */
final class Mint
{
    private const SETTERS = [
        'dst_claims_set_team_id', 'dst_claims_set_room', 'dst_claims_set_user_name', 'dst_claims_set_user_id',
        'dst_claims_set_initials', 'dst_claims_set_role', 'dst_claims_set_breakout_id', 'dst_claims_set_avatar',
    ];
    /** dst_error's argument numbers of the string claims, in dst_room_token order (schema/dstoken.json). */
    private const STRING_ARGS = [4, 5, 6, 7, 8, 9, 10, 11];

    private function __construct()
    {
    }

    /** A conversion the C API cannot take, worded as the library words the same reason. */
    public static function bad(string $m, int $reason, int $argument, int $value = 0, int $limit = 0): DstokenException
    {
        return DstokenException::fromParts($m, Status::INVALID_ARGUMENT, $reason, $argument, 0, $value, $limit);
    }

    /** A conversion error with no reason of the library's: a PHP value C has no form for. */
    public static function unconvertible(string $m, int $argument, string $why): DstokenException
    {
        $arg = Schema::ARGS[$argument][1];
        return new DstokenException(Status::INVALID_ARGUMENT, "$m: $arg $why", null, ['argument' => $arg]);
    }

    /** A time: unix seconds, or a DateTimeInterface; null is absent (0 in C). */
    public static function time(int|\DateTimeInterface|null $v): int
    {
        return $v instanceof \DateTimeInterface ? $v->getTimestamp() : ($v ?? 0);
    }

    /**
     * A number of seconds as C takes it: whole seconds and the part below one second in
     * nanoseconds (which the library refuses for a lifetime, as the unit slip it is).
     *
     * @return array{0: int, 1: int}
     */
    public static function seconds(string $m, int $argument, int|float|null $v): array
    {
        if ($v === null || is_int($v)) {
            return [$v ?? 0, 0];
        }
        if (!is_finite($v) || $v >= 9.2233720368547758E18 || $v < -9.2233720368547758E18) {
            throw self::unconvertible($m, $argument, 'must be a finite number of seconds within a 64-bit integer, got ' . var_export($v, true));
        }
        $whole = (int) $v;
        $nanos = (int) round(abs($v - $whole) * 1e9);
        if ($nanos >= 1000000000) {
            $whole += $v < 0 ? -1 : 1;
            $nanos = 0;
        }
        return [$whole, $nanos];
    }

    /**
     * mint()'s time arguments as dst_room_token's numbers [issued_at, not_before, expires_at,
     * lifetime_seconds, not_before_skew_seconds, now, no_expiry, max_lifetime_seconds,
     * lifetime_nanos], and which of issuedAt/notBefore is an explicit 0 (1970-01-01, which the
     * struct cannot say: 0 is "absent" there).
     *
     * @return array{0: array{0: int, 1: int, 2: int, 3: int, 4: int, 5: int, 6: bool, 7: int, 8: int}, 1: array{0: bool, 1: bool}}
     */
    public static function numbers(
        string $m,
        int|\DateTimeInterface|null $issuedAt,
        int|\DateTimeInterface|null $notBefore,
        int|\DateTimeInterface|null $expiresAt,
        int|float|null $lifetime,
        int|float|null $notBeforeSkew,
        int|\DateTimeInterface|null $now,
        bool $noExpiry,
        ?int $maxLifetime
    ): array {
        if (!is_float($lifetime) && !is_float($notBeforeSkew) && !is_object($issuedAt) && !is_object($notBefore)
            && !is_object($expiresAt) && !is_object($now) && $issuedAt !== 0 && $notBefore !== 0) {
            // Integers and nulls (the common shapes): nothing to convert.
            return [[$issuedAt ?? 0, $notBefore ?? 0, $expiresAt ?? 0, $lifetime ?? 0, $notBeforeSkew ?? 0, $now ?? 0, $noExpiry, $maxLifetime ?? 0, 0], [false, false]];
        }
        [$life, $nanos] = self::seconds($m, 15, $lifetime);
        [$skew, $skewNanos] = self::seconds($m, 16, $notBeforeSkew);
        if ($skewNanos !== 0) {
            throw self::bad($m, 18 /* SUB_SECOND */, 16, $skew, $skewNanos);
        }
        $iat = self::time($issuedAt);
        $nbf = self::time($notBefore);
        // An explicit 0 is checked as 1 (no rule tells them apart: exp, the only time compared
        // with them, cannot be below 1 and present), then set to 0 on the claims.
        $zero = [$issuedAt !== null && $iat === 0, $notBefore !== null && $nbf === 0];
        return [[$zero[0] ? 1 : $iat, $zero[1] ? 1 : $nbf, self::time($expiresAt), $life, $skew, self::time($now), $noExpiry, $maxLifetime ?? 0, $nanos], $zero];
    }

    /**
     * Mints a token (or, with $urlTeam, its join URL): one dst_mint_into (dst_mint_url) call.
     * With custom claims or an explicit zero time, the token the library minted (every rule
     * applied, the times computed) is read back into a claim set, completed and signed again.
     *
     * @param array<int, ?string> $s the eight strings in dst_room_token order
     * @param array{0: array<int, int|bool>, 1: array{0: bool, 1: bool}} $numbers from numbers()
     * @param array<string, string> $custom name => JSON text
     */
    public static function mint(string $m, Key|string $key, array $s, array $numbers, ?string $urlTeam = null, array $custom = [], bool $allowPort = false): string
    {
        $n = Native::$n ?? Native::get();
        if ($urlTeam !== null && str_contains($urlTeam, "\0")) {
            throw self::unconvertible($m, 24, 'contains a NUL byte ("\0"), which a C string cannot carry; remove it');
        }
        $k = $key instanceof Key ? $key : Key::fromString($key);
        [$nums, $zero] = $numbers;
        $hold = null;
        $tok = $n->roomToken($s, $nums, $hold);
        if ($tok === null) {
            throw self::nulError($m, $s);
        }
        $reread = $custom || $zero[0] || $zero[1];
        if ($urlTeam !== null && !$reread && !$allowPort) {
            $url = $n->stringOut();
            $st = $n->ffi->dst_mint_url($tok, $k->handle($m), $urlTeam, FFI::addr($url));
            if ($st !== 0) {
                throw $n->error($st, $m);
            }
            return $n->takeString($url);
        }
        $token = $n->mintInto($tok, $k->handle($m), $m);
        if ($reread) {
            $token = self::complete($n, $m, $k, $token, $zero, $custom);
        }
        return $urlTeam === null ? $token : JoinUrl::build($m, $urlTeam, (string) $s[1], $token, $allowPort);
    }

    /** The minted token's claims with the zero times and the custom claims, signed again. */
    private static function complete(Native $n, string $m, Key $k, string $token, array $zero, array $custom): string
    {
        $f = $n->ffi;
        $c = $f->new('dst_claims*');
        $st = $f->dst_decode_unverified($token, null, FFI::addr($c));
        if ($st !== 0) {
            throw $n->error($st, $m);
        }
        try {
            foreach ([[0, 'dst_claims_set_issued_at'], [1, 'dst_claims_set_not_before']] as [$i, $setter]) {
                if ($zero[$i] && ($st = $f->{$setter}($c, 0)) !== 0) {
                    throw $n->error($st, $m);
                }
            }
            foreach ($custom as $name => $json) {
                $st = $f->dst_claims_set_custom_json($c, (string) $name, $json);
                if ($st !== 0) {
                    throw $n->error($st, $m);
                }
            }
            return $n->into(static fn ($buf, $cap, $len) => $f->dst_sign_into($c, $k->handle($m), $buf, $cap, $len), $m);
        } finally {
            $f->dst_claims_free($c);
        }
    }

    /**
     * A custom claim checked by the library when it is set on a Claims (a registered name,
     * an empty name, JSON that is not valid), so the mistake shows where it is made.
     */
    public static function checkCustom(string $m, string $name, string $json): void
    {
        foreach ([22 => $name, 23 => $json] as $arg => $v) {
            if (str_contains($v, "\0")) {
                throw self::unconvertible($m, $arg, 'contains a NUL byte ("\0"), which a C string cannot carry');
            }
        }
        $n = Native::$n ?? Native::get();
        $c = $n->ffi->dst_claims_new() ?? throw $n->error(Status::INTERNAL, $m);
        try {
            $st = $n->ffi->dst_claims_set_custom_json($c, $name, $json);
            if ($st !== 0) {
                throw $n->error($st, $m);
            }
        } finally {
            $n->ffi->dst_claims_free($c);
        }
    }

    /** Names the first string argument holding a NUL byte (C would cut the string there). */
    public static function nulError(string $m, array $s): DstokenException
    {
        foreach ($s as $i => $v) {
            if ($v !== null && str_contains($v, "\0")) {
                return self::unconvertible($m, self::STRING_ARGS[$i], 'contains a NUL byte ("\0"), which a C string cannot carry; remove it');
            }
        }
        return self::unconvertible($m, 0, 'a string contains a NUL byte');
    }

    /** A claim set's JSON text; frees the claim set. */
    public static function claimsJson(Native $n, string $m, \FFI\CData $claims): string
    {
        try {
            $out = $n->stringOut();
            $st = $n->ffi->dst_claims_to_json($claims, FFI::addr($out));
            if ($st !== 0) {
                throw $n->error($st, $m);
            }
            return $n->takeString($out);
        } finally {
            $n->ffi->dst_claims_free($claims);
        }
    }
}

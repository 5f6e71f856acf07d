<?php

declare(strict_types=1);

namespace Dstoken\Internal;

use Dstoken\DstokenException;
use Dstoken\Key;
use Dstoken\Status;
use FFI;

/**
 * The checks and the native calls behind mint(), mintUrl() and Claims::sign() (internal).
 * Every rule is checked here first, so a message names the PHP argument (`expiresAt:` for the
 * functions, `expiresAt()` for the Claims builder); the library checks again.
 *
 * @internal
 */
final class Mint
{
    /** 9999-12-31T23:59:59Z: the latest time a token may carry when signed (RFC 3339's range). */
    public const MAX_TIME = 253402300799;

    /** Registered claim => the PHP argument (and Claims method) that sets it. */
    public const REGISTERED = [
        'td' => 'teamId', 'rd' => 'room', 'u' => 'userName', 'ud' => 'userId', 'initials' => 'initials',
        'role' => 'role', 'breakoutId' => 'breakoutId', 'avatar' => 'avatar', 'iat' => 'issuedAt',
        'nbf' => 'notBefore', 'exp' => 'expiresAt',
    ];

    /** The string arguments in dst_room_token order. */
    public const STRINGS = ['teamId', 'room', 'userName', 'userId', 'initials', 'role', 'breakoutId', 'avatar'];
    private const SETTERS = [
        'dst_claims_set_team_id', 'dst_claims_set_room', 'dst_claims_set_user_name', 'dst_claims_set_user_id',
        'dst_claims_set_initials', 'dst_claims_set_role', 'dst_claims_set_breakout_id', 'dst_claims_set_avatar',
    ];

    private function __construct()
    {
    }

    /** An argument as the user wrote it: `teamId:` (functions) or `teamId()` (the builder). */
    public static function arg(bool $builder, string $name): string
    {
        return $builder ? "$name()" : "$name:";
    }

    public static function bad(string $method, string $message, int $status = Status::INVALID_ARGUMENT): DstokenException
    {
        return new DstokenException($status, "$method: $message");
    }

    public static function rfc3339(int $t): string
    {
        return gmdate('Y-m-d\TH:i:s\Z', $t);
    }

    /** A time argument: unix seconds (int) or a DateTimeInterface, within 1970..9999. */
    public static function time(string $m, bool $b, string $name, int|\DateTimeInterface $v): int
    {
        if ($v instanceof \DateTimeInterface) {
            $v = $v->getTimestamp();
        }
        if ($v < 0 || $v > self::MAX_TIME) {
            $hint = '';
            if ($v > self::MAX_TIME && intdiv($v, 1000) <= self::MAX_TIME) {
                $hint = sprintf('; it looks like milliseconds: pass seconds (%d, %s)', intdiv($v, 1000), self::rfc3339(intdiv($v, 1000)));
            }
            throw self::bad($m, sprintf(
                '%s (%d) must be unix seconds from 0 to %d (1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z)%s',
                self::arg($b, $name), $v, self::MAX_TIME, $hint
            ));
        }
        return $v;
    }

    /** A duration in seconds; a fraction rounds up. $positive: > 0, else >= 0. */
    public static function seconds(string $m, bool $b, string $name, int|float $v, bool $positive): int
    {
        if (is_float($v)) {
            if (!is_finite($v)) {
                throw self::bad($m, sprintf('%s must be a finite number of seconds, got %s', self::arg($b, $name), var_export($v, true)));
            }
            if ($v > self::MAX_TIME || $v < -self::MAX_TIME) {
                throw self::bad($m, sprintf('%s (%s) is out of range: at most %d seconds', self::arg($b, $name), var_export($v, true), self::MAX_TIME));
            }
            $r = (int) ceil($v);
        } else {
            $r = $v;
        }
        if ($positive ? $v <= 0 : $v < 0) {
            throw self::bad($m, sprintf(
                '%s must be %s seconds, got %s',
                self::arg($b, $name),
                $positive ? '> 0' : '>= 0',
                is_float($v) ? var_export($v, true) : (string) $v
            ) . ($positive ? '; for a token that never expires pass ' . self::arg($b, 'noExpiry') . ' true' : ''));
        }
        if ($r > self::MAX_TIME) {
            throw self::bad($m, sprintf('%s (%d) is out of range: at most %d seconds', self::arg($b, $name), $r, self::MAX_TIME));
        }
        return $r;
    }

    /**
     * Checks the times and returns them as dst_room_token takes them, plus what the claim-set
     * path needs: [iat, nbf, exp, lifetime, skew, now, needsClaimSet, iat?, nbf?, exp?].
     *
     * @return array{0: int, 1: int, 2: int, 3: int, 4: int, 5: int, 6: bool, 7: ?int, 8: ?int, 9: ?int}
     */
    public static function times(
        string $m,
        bool $b,
        int|\DateTimeInterface|null $issuedAt,
        int|\DateTimeInterface|null $notBefore,
        int|\DateTimeInterface|null $expiresAt,
        int|float|null $lifetime,
        int|float|null $notBeforeSkew,
        int|\DateTimeInterface|null $now,
        bool $noExpiry
    ): array {
        if ($now !== null) {
            $now = self::time($m, $b, 'now', $now);
            if ($now === 0) {
                $now = null; // a now of 0 is the system clock, as in every front end (C's "absent")
            }
        }
        if ($lifetime !== null || $notBeforeSkew !== null) {
            if ($issuedAt !== null || $notBefore !== null || $expiresAt !== null) {
                throw self::bad($m, sprintf(
                    'explicit times (%s, %s, %s) and relative times (%s, %s) exclude each other; use one or the other',
                    self::arg($b, 'issuedAt'), self::arg($b, 'notBefore'), self::arg($b, 'expiresAt'),
                    self::arg($b, 'lifetime'), self::arg($b, 'notBeforeSkew')
                ));
            }
            if ($lifetime === null) {
                throw self::bad($m, self::arg($b, 'notBeforeSkew') . ' needs ' . self::arg($b, 'lifetime') . ' (the token\'s lifetime in seconds)');
            }
            if ($noExpiry) {
                throw self::bad($m, self::arg($b, 'noExpiry') . ' true contradicts ' . self::arg($b, 'lifetime') . '; drop one of them');
            }
            $life = self::seconds($m, $b, 'lifetime', $lifetime, true);
            $skew = $notBeforeSkew === null ? 0 : self::seconds($m, $b, 'notBeforeSkew', $notBeforeSkew, false);
            $t0 = $now ?? time();
            $exp = $t0 + $life;
            if ($exp > self::MAX_TIME) {
                throw self::bad($m, sprintf(
                    '%s (%d s) after now (%s) puts exp after 9999-12-31T23:59:59Z; use a shorter lifetime (seconds, not milliseconds)',
                    self::arg($b, 'lifetime'), $life, self::rfc3339($t0)
                ));
            }
            $nbf = $t0 - $skew;
            if ($nbf < 0) {
                throw self::bad($m, sprintf('%s (%d s) puts nbf before 1970-01-01T00:00:00Z', self::arg($b, 'notBeforeSkew'), $skew));
            }
            return [0, 0, 0, $life, $skew, $t0, $t0 === 0, $t0, $skew > 0 ? $nbf : null, $exp];
        }
        $iat = $issuedAt === null ? null : self::time($m, $b, 'issuedAt', $issuedAt);
        $nbf = $notBefore === null ? null : self::time($m, $b, 'notBefore', $notBefore);
        $exp = $expiresAt === null ? null : self::time($m, $b, 'expiresAt', $expiresAt);
        if ($exp === null) {
            if (!$noExpiry) {
                throw self::bad($m, sprintf(
                    'the token has no expiry: set %s (seconds, e.g. 3600) or %s, or pass %s true for a token that never expires',
                    self::arg($b, 'lifetime'), self::arg($b, 'expiresAt'), self::arg($b, 'noExpiry')
                ));
            }
        } else {
            if ($noExpiry) {
                throw self::bad($m, self::arg($b, 'noExpiry') . ' true contradicts ' . self::arg($b, 'expiresAt') . '; drop one of them');
            }
            $ref = $now ?? time();
            if ($exp <= $ref) {
                throw self::bad($m, sprintf(
                    '%s (%d) is already past: the token expired at %s, %d s before now (%s)',
                    self::arg($b, 'expiresAt'), $exp, self::rfc3339($exp), $ref - $exp, self::rfc3339($ref)
                ));
            }
            if ($iat !== null && $exp < $iat) {
                throw self::bad($m, sprintf('%s (%d) is earlier than %s (%d)', self::arg($b, 'expiresAt'), $exp, self::arg($b, 'issuedAt'), $iat));
            }
            if ($nbf !== null && $exp < $nbf) {
                throw self::bad($m, sprintf('%s (%d) is earlier than %s (%d)', self::arg($b, 'expiresAt'), $exp, self::arg($b, 'notBefore'), $nbf));
            }
        }
        // An explicit `now` goes to the library too: the instant `exp` must be after.
        return [$iat ?? 0, $nbf ?? 0, $exp ?? 0, 0, 0, $now ?? 0, $iat === 0 || $nbf === 0 || $now === 0, $iat, $nbf, $exp];
    }

    /**
     * Mints (or, with $urlTeam, mints the join URL of) a token: one native call through
     * dst_room_token when there are no custom claims, else the claim-set path.
     *
     * @param array{0: ?string, 1: ?string, 2: ?string, 3: ?string, 4: ?string, 5: ?string, 6: ?string, 7: ?string} $s
     * @param array{0: int, 1: int, 2: int, 3: int, 4: int, 5: int, 6: bool, 7: ?int, 8: ?int, 9: ?int} $t
     * @param list<array{0: string, 1: string}> $custom name => JSON text
     */
    public static function mint(string $m, bool $b, Key|string $key, array $s, array $t, ?string $urlTeam = null, array $custom = []): string
    {
        $n = Native::$n ?? Native::get();
        self::requireClaims($m, $b, $s[0], $s[1]);
        if ($urlTeam !== null && str_contains($urlTeam, "\0")) {
            throw self::bad($m, 'team contains a NUL byte, which a C string cannot carry');
        }
        $k = $key instanceof Key ? $key : Key::fromString($key);
        if ($t[6] || $custom) {
            return self::viaClaimSet($n, $m, $b, $k, $s, $t, $urlTeam, $custom);
        }
        $hold = null;
        $tok = $n->roomToken($s, $t[0], $t[1], $t[2], $t[3], $t[4], $t[5], $t[2] === 0 && $t[3] === 0, $hold);
        if ($tok === null) {
            throw self::nulError($m, $b, $s);
        }
        if ($urlTeam === null) {
            try {
                return $n->into(static fn ($buf, $cap, $len) => $n->ffi->dst_mint_into($tok, $k->handle($m), $buf, $cap, $len), $m, 512);
            } catch (DstokenException $e) {
                throw $e->getCode() === Status::INVALID_UTF8 ? self::utf8Error($m, $b, $s) : $e;
            }
        }
        $url = $n->stringOut();
        $st = $n->ffi->dst_mint_url($tok, $k->handle($m), $urlTeam, FFI::addr($url));
        if ($st !== 0) {
            throw self::failure($n, $st, $m, $b, $s);
        }
        return $n->takeString($url);
    }

    /** td and rd present and non-empty (checked before the times, as the library does). */
    public static function requireClaims(string $m, bool $b, ?string $teamId, ?string $room): void
    {
        if ($teamId === null || $room === null) {
            throw self::bad($m, sprintf('claim "%s" is required; set it with %s', $teamId === null ? 'td' : 'rd', self::arg($b, $teamId === null ? 'teamId' : 'room')), Status::MISSING_CLAIM);
        }
        if ($teamId === '' || $room === '') {
            throw self::bad($m, self::arg($b, $teamId === '' ? 'teamId' : 'room') . ' must not be empty');
        }
    }

    /** The claim-set path: custom claims, or a time of exactly 0 (which dst_room_token reads as "absent"). */
    private static function viaClaimSet(Native $n, string $m, bool $b, Key $k, array $s, array $t, ?string $urlTeam, array $custom): string
    {
        $f = $n->ffi;
        $c = $f->dst_claims_new();
        if ($c === null) {
            throw $n->error(Status::INTERNAL, $m);
        }
        try {
            foreach ($s as $i => $v) {
                if ($v === null) {
                    continue;
                }
                if (str_contains($v, "\0")) {
                    throw self::nulError($m, $b, $s);
                }
                $st = $f->{self::SETTERS[$i]}($c, $v);
                if ($st !== 0) {
                    throw self::failure($n, $st, $m, $b, $s);
                }
            }
            foreach ([[7, 'dst_claims_set_issued_at'], [8, 'dst_claims_set_not_before'], [9, 'dst_claims_set_expires_at']] as [$i, $fn]) {
                if ($t[$i] !== null) {
                    $st = $f->{$fn}($c, $t[$i]);
                    if ($st !== 0) {
                        throw $n->error($st, $m);
                    }
                }
            }
            foreach ($custom as [$name, $json]) {
                $st = $f->dst_claims_set_json($c, $name, $json);
                if ($st !== 0) {
                    throw $n->error($st, "$m: custom claim \"$name\"");
                }
            }
            $token = $n->into(static fn ($buf, $cap, $len) => $f->dst_sign_into($c, $k->handle($m), $buf, $cap, $len), $m);
        } finally {
            $f->dst_claims_free($c);
        }
        return $urlTeam === null ? $token : JoinUrl::build($m, $urlTeam, (string) $s[1], $token);
    }

    private static function failure(Native $n, int $st, string $m, bool $b, array $s): DstokenException
    {
        return $st === Status::INVALID_UTF8 ? self::utf8Error($m, $b, $s) : $n->error($st, $m);
    }

    /** Names the first string argument that is not UTF-8. */
    public static function utf8Error(string $m, bool $b, array $s): DstokenException
    {
        foreach ($s as $i => $v) {
            if ($v !== null && preg_match('//u', $v) !== 1) {
                return self::bad($m, self::arg($b, self::STRINGS[$i]) . ' is not valid UTF-8; convert it first (e.g. mb_convert_encoding($value, \'UTF-8\', \'ISO-8859-1\'))', Status::INVALID_UTF8);
            }
        }
        return self::bad($m, 'a string is not valid UTF-8', Status::INVALID_UTF8);
    }

    /** Names the first string argument holding a NUL byte. */
    public static function nulError(string $m, bool $b, array $s): DstokenException
    {
        foreach ($s as $i => $v) {
            if ($v !== null && str_contains($v, "\0")) {
                return self::bad($m, self::arg($b, self::STRINGS[$i]) . ' contains a NUL byte ("\0"), which a C string cannot carry; remove it');
            }
        }
        return self::bad($m, 'a string contains a NUL byte');
    }
}

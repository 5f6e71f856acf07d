<?php

declare(strict_types=1);

namespace Dstoken;

use Dstoken\Internal\JoinUrl;
use Dstoken\Internal\Json;
use Dstoken\Internal\Mint;
use Dstoken\Internal\Native;

/** This package's version; the native library must have the same major.minor. */
const VERSION = Native::PACKAGE_VERSION;

/**
 * Mints a Digital Samba room token (an HS256 JWT) in one native call.
 *
 * `teamId` (td) and `room` (rd) are required; `userName` (u), `userId` (ud), `initials`, `role`,
 * `breakoutId` and `avatar` are optional. Times are unix seconds (int) or DateTimeInterface,
 * either explicit (`issuedAt`, `notBefore`, `expiresAt`) or relative: `lifetime` seconds gives
 * iat = now and exp = now + lifetime, `notBeforeSkew` seconds adds nbf = now - skew; `now`
 * defaults to the clock (0 is the clock too). An expiry is required: set `lifetime` or
 * `expiresAt`, or pass `noExpiry: true` for a token that never expires. A lifetime is whole
 * seconds (a fraction is refused: token times are whole seconds) and at most `maxLifetime`
 * seconds (default 30 days, so a lifetime in milliseconds is not signed as a weeks-long token).
 * The library decides every rule; its refusals name the argument at fault.
 *
 * @param Key|string $key a Key, or the developer key itself (then a Key is made for this call)
 * @throws DstokenException DST_ERR_INVALID_ARGUMENT, DST_ERR_INVALID_UTF8, MissingClaimException
 */
function mint(
    Key|string $key,
    string $teamId,
    string $room,
    ?string $userName = null,
    ?string $userId = null,
    ?string $initials = null,
    ?string $role = null,
    ?string $breakoutId = null,
    ?string $avatar = null,
    int|\DateTimeInterface|null $issuedAt = null,
    int|\DateTimeInterface|null $notBefore = null,
    int|\DateTimeInterface|null $expiresAt = null,
    int|float|null $lifetime = null,
    int|float|null $notBeforeSkew = null,
    int|\DateTimeInterface|null $now = null,
    bool $noExpiry = false,
    ?int $maxLifetime = null,
): string {
    $m = 'Dstoken\mint()';
    if ($key instanceof Key && !is_float($lifetime) && !is_float($notBeforeSkew) && !is_object($issuedAt) && !is_object($notBefore)
        && !is_object($expiresAt) && !is_object($now) && $issuedAt !== 0 && $notBefore !== 0) {
        // Integers and nulls (the common shapes): straight to the one native call.
        $n = Native::$n ?? Native::get();
        $hold = null;
        $tok = $n->roomToken(
            [$teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar],
            [$issuedAt ?? 0, $notBefore ?? 0, $expiresAt ?? 0, $lifetime ?? 0, $notBeforeSkew ?? 0, $now ?? 0, $noExpiry, $maxLifetime ?? 0, 0],
            $hold
        );
        if ($tok !== null) {
            return $n->mintInto($tok, $key->handle($m), $m);
        }
    }
    return Mint::mint(
        $m,
        $key,
        [$teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar],
        Mint::numbers($m, $issuedAt, $notBefore, $expiresAt, $lifetime, $notBeforeSkew, $now, $noExpiry, $maxLifetime)
    );
}

/**
 * Mints a room token as mint() does and returns the URL that opens the room with it:
 * `https://<team>.digitalsamba.com/<room>?token=<token>`. `team` is the team's subdomain
 * (e.g. "acme") or the full domain the team's rooms are served on (e.g. "meet.example.com");
 * a port ("meet.example.com:8443") only with `allowPort: true`, an IP address never.
 *
 * @throws DstokenException as mint(), and DST_ERR_INVALID_ARGUMENT for an unusable team
 */
function mintUrl(
    Key|string $key,
    string $team,
    string $teamId,
    string $room,
    ?string $userName = null,
    ?string $userId = null,
    ?string $initials = null,
    ?string $role = null,
    ?string $breakoutId = null,
    ?string $avatar = null,
    int|\DateTimeInterface|null $issuedAt = null,
    int|\DateTimeInterface|null $notBefore = null,
    int|\DateTimeInterface|null $expiresAt = null,
    int|float|null $lifetime = null,
    int|float|null $notBeforeSkew = null,
    int|\DateTimeInterface|null $now = null,
    bool $noExpiry = false,
    bool $allowPort = false,
    ?int $maxLifetime = null,
): string {
    $m = 'Dstoken\mintUrl()';
    return Mint::mint(
        $m,
        $key,
        [$teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar],
        Mint::numbers($m, $issuedAt, $notBefore, $expiresAt, $lifetime, $notBeforeSkew, $now, $noExpiry, $maxLifetime),
        $team,
        [],
        $allowPort
    );
}

/**
 * Verifies a token (HS256 only, the signature in constant time, then `exp`, `nbf`, `iat` at
 * `now` with `leeway` seconds of clock difference) and returns its claims as an array, as
 * firebase/php-jwt's JWT::decode() would (but as an array, not an object).
 *
 * `exp` is required unless `expOptional: true` (Digital Samba's own REST examples mint tokens
 * without it); `required` names further claims that must be present (MissingClaimException);
 * `teamId` and `room`, when given, must equal the token's `td` and `rd`
 * (ClaimMismatchException, whose `claim` and `text` are the claim and the token's value).
 *
 * Numbers are exact: an integer is an int when it fits in PHP's int and a numeric string
 * otherwise; a number with a fraction or exponent is a float when that float has the same
 * decimal value (shortest round trip), otherwise a string with the number as written.
 *
 * @param string $token the token alone (not a join URL)
 * @param int|\DateTimeInterface|null $now unix seconds; default (and 0): the clock
 * @param int $leeway seconds, 0 .. 4294967295
 * @param list<string> $required claim names the token must carry
 * @return array<string, mixed>
 * @throws ExpiredException|BeforeValidException|SignatureInvalidException|MalformedTokenException|UnsupportedAlgorithmException|MissingClaimException|ClaimMismatchException|DstokenException
 */
function verify(
    string $token,
    Key|string $key,
    int|\DateTimeInterface|null $now = null,
    int $leeway = 0,
    bool $expOptional = false,
    ?string $teamId = null,
    ?string $room = null,
    array $required = [],
): array {
    $m = 'Dstoken\verify()';
    if ($leeway < 0) {
        throw Mint::bad($m, 10 /* NEGATIVE */, 18, $leeway);
    }
    if ($leeway > 0xFFFFFFFF) {
        throw Mint::unconvertible($m, 18, "is $leeway seconds, more than the 4294967295 a 32-bit leeway holds");
    }
    if (str_contains($token, "\0")) {
        // A NUL byte is no token character (and C would cut the string there).
        throw DstokenException::fromParts($m, Status::MALFORMED_TOKEN, 32 /* NOT_TOKEN_CHARS */, 2);
    }
    foreach ([4 => $teamId, 5 => $room, 34 => implode('', $required)] as $arg => $v) {
        if ($v !== null && str_contains($v, "\0")) {
            throw Mint::unconvertible($m, $arg, 'contains a NUL byte ("\0"), which a C string cannot carry');
        }
    }
    $n = Native::$n ?? Native::get();
    $f = $n->ffi;
    $k = $key instanceof Key ? $key : Key::fromString($key);
    // The options and the strings they point at: this call's own, alive until it returns.
    $o = $f->new('dst_verify_options');
    $o->struct_size = \FFI::sizeof($o);
    $o->now = Mint::time($now);
    $o->leeway_seconds = $leeway;
    $o->exp_optional = $expOptional;
    $hold = [];
    $cstr = static function (string $v) use ($f, &$hold): \FFI\CData {
        $c = $f->new('char[' . (strlen($v) + 1) . ']');
        \FFI::memcpy($c, $v . "\0", strlen($v) + 1);
        $hold[] = $c;
        return $f->cast('char*', \FFI::addr($c));
    };
    if ($teamId !== null) {
        $o->team_id = $cstr($teamId);
    }
    if ($room !== null) {
        $o->room = $cstr($room);
    }
    if ($required) {
        $names = $f->new('char*[' . count($required) . ']');
        foreach (array_values($required) as $i => $name) {
            $names[$i] = $cstr((string) $name);
        }
        $hold[] = $names;
        $o->required = $f->cast('char**', \FFI::addr($names));
        $o->required_len = count($required);
    }
    $claims = $f->new('dst_claims*');
    $st = $f->dst_verify_opts($token, $k->handle($m), \FFI::addr($o), \FFI::addr($claims));
    if ($st !== 0) {
        throw $n->error($st, $m);
    }
    return Json::decodeObject(Mint::claimsJson($n, $m, $claims));
}

/**
 * Reads a token's header and claims WITHOUT verifying anything: neither the signature nor
 * the times. What it returns proves nothing about who made the token (anyone can write one);
 * use it to choose a key or to log, then verify(). A malformed token (or a join URL passed
 * whole) is refused with MalformedTokenException.
 *
 * @return array{header: array<string, mixed>, claims: array<string, mixed>}
 * @throws MalformedTokenException|DstokenException
 */
function decodeUnverified(string $token): array
{
    $m = 'Dstoken\decodeUnverified()';
    if (str_contains($token, "\0")) {
        throw DstokenException::fromParts($m, Status::MALFORMED_TOKEN, 32 /* NOT_TOKEN_CHARS */, 2);
    }
    $n = Native::$n ?? Native::get();
    $header = $n->stringOut();
    $claims = $n->ffi->new('dst_claims*');
    $st = $n->ffi->dst_decode_unverified($token, \FFI::addr($header), \FFI::addr($claims));
    if ($st !== 0) {
        throw $n->error($st, $m);
    }
    $h = Json::decodeObject($n->takeString($header));
    return ['header' => $h, 'claims' => Json::decodeObject(Mint::claimsJson($n, $m, $claims))];
}

/**
 * The URL that opens a Digital Samba room: `https://<team>.digitalsamba.com/<room>?token=<token>`
 * (`team` a subdomain such as "acme", lowercased, or the full domain the team's rooms are
 * served on, such as "meet.example.com"; a port, "meet.example.com:8443", only with
 * `allowPort: true`); without a token, the public room's URL.
 *
 * @throws DstokenException DST_ERR_INVALID_ARGUMENT for an unusable team, room or token
 */
function joinUrl(string $team, string $room, ?string $token = null, bool $allowPort = false): string
{
    return JoinUrl::build('Dstoken\joinUrl()', $team, $room, $token, $allowPort);
}

/**
 * The libdstoken file in use: the bundled copy, DSTOKEN_LIBRARY, or the system library found
 * by its SONAME (libdstoken.so.0.1); under a preload scope, the file PHP-FPM's preload loaded.
 */
function libraryPath(): string
{
    return Native::get()->path();
}

/** The native library's version, e.g. "0.1.0". */
function libraryVersion(): string
{
    return Native::get()->version;
}

/**
 * Where the native library came from: `source` is "preload" (an opcache.preload FFI scope),
 * "bundled", "DSTOKEN_LIBRARY" or "system".
 *
 * @return array{path: string, source: string, version: string}
 */
function libraryInfo(): array
{
    $n = Native::get();
    return ['path' => $n->path(), 'source' => $n->source, 'version' => $n->version];
}
